"""Per-family templates for scripts/make_lexicon.py (tabs, metrics, Q&A, taglines, tone)."""

from __future__ import annotations

# Icons the lexicon may use; the UI maps each name to a glyph (unknown names fall back to "circle").
ICONS = [
    "home", "wallet", "card", "chart", "pie", "receipt", "shield", "heart", "calendar", "pill",
    "user", "gift", "star", "cart", "package", "truck", "tag", "map", "chat", "book", "tool",
    "car", "leaf", "bolt", "globe", "phone", "briefcase", "school", "paw", "film", "music",
    "camera", "cup", "utensils", "bed", "plane", "building", "key", "dumbbell", "scissors",
    "clipboard", "trophy", "bell", "percent", "clock", "sun", "code", "cloud", "circle", "sparkles",
]

# Seed colours per colour family; an industry picks one variant so neighbours differ.
COLORS = {
    "red": ["#c62828", "#b71c1c", "#d32f2f", "#a4262c"],
    "rose": ["#c2185b", "#ad1457", "#d81b60", "#b0305a"],
    "pink": ["#e05a8a", "#d63384", "#c2407a", "#e26d9b"],
    "purple": ["#7b1fa2", "#6a1b9a", "#8e24aa", "#7e3794"],
    "violet": ["#5e35b1", "#673ab7", "#6d28d9", "#7c4dff"],
    "indigo": ["#3949ab", "#283593", "#4f46e5", "#3f51b5"],
    "blue": ["#1565c0", "#0d47a1", "#1e88e5", "#1d4ed8"],
    "sky": ["#0284c7", "#0277bd", "#039be5", "#0369a1"],
    "teal": ["#00796b", "#00897b", "#0f766e", "#00695c"],
    "cyan": ["#0097a7", "#00838f", "#0891b2", "#006d77"],
    "green": ["#2e7d32", "#388e3c", "#1b5e20", "#43a047"],
    "emerald": ["#059669", "#047857", "#10b981", "#0b8a5f"],
    "lime": ["#7cb342", "#689f38", "#65a30d", "#558b2f"],
    "olive": ["#6b7f2a", "#7a8450", "#5f6f1f", "#827717"],
    "amber": ["#ffb300", "#f59e0b", "#ffa000", "#d97706"],
    "orange": ["#ef6c00", "#f57c00", "#e65100", "#ea580c"],
    "coral": ["#ff7043", "#f4511e", "#e8674a", "#ff6f61"],
    "brown": ["#795548", "#6d4c41", "#8d6e63", "#7b4a2d"],
    "slate": ["#455a64", "#37474f", "#475569", "#546e7a"],
    "gold": ["#b8860b", "#c9a227", "#a67c00", "#bf9b30"],
    "navy": ["#1a237e", "#172554", "#0b3d91", "#1e3a8a"],
}

# Tab tuples: (id, label, icon, prompt, topic). A topic is a persona answer the offline engine
# computes (see engines/offline_answers.py) or "qa:N", the industry's N-th sample answer.
# Metric dicts: "source" takes the value from the persona; "range" seeds a value per mode.
# Templates may use {company} (filled when a mode is made), and, filled here, {label} {label_l}
# {hook} {hook_l} {items3} {item0} {price0} {orders} {kpi}.
_GENERIC_QA = [
    ("What's popular right now?", ["popular", "best seller", "bestseller", "recommend",
                                   "favorite", "favourite", "trending", "offer", "sell", "products",
                                   "services", "menu", "range"],
     ("Right now our most-loved picks at {company} are {items3}. The chart shows how many "
     "customers chose each one this month."), "popular"),
    ("What are your prices?", ["price", "prices", "cost", "how much", "pricing", "fee", "rate"],
     "Here's a quick price guide: {price_list}. Members get early access to offers.", "prices"),
]

FAMILIES: dict[str, dict] = {
    "bank": {
        "kind": "banking", "orders": "transactions", "unit": "%", "popular_unit": "% APY",
        "tabs": [
            ("accounts", "Accounts", "wallet", "Show my account balances", "accounts"),
            ("activity", "Activity", "receipt", "Show my recent transactions", "transactions"),
            ("spending", "Spending", "pie", "Break down my spending by category", "spending"),
            ("trends", "Trends", "chart", "Show my balance history", "balance_history"),
            ("credit", "Credit", "card", "What's my credit score and available credit?",
             "credit"),
        ],
        "metrics": [
            {"label": "Total balance", "unit": "$", "source": "total_balance"},
            {"label": "Credit score", "unit": "", "source": "credit_score"},
            {"label": "Available credit", "unit": "$", "source": "credit_available"},
        ],
        "qa": [
            ("What rates do you offer?", ["rate", "rates", "apy", "apr", "interest", "offer"],
             "Current rates at {company}: {price_list}. Rates are variable and reviewed monthly.",
             "rates"),
            ("How do I open an account?", ["open", "new account", "sign up", "join"],
             ("You can open an account online in about ten minutes: you'll need a photo ID, your "
             "Social Security number and an opening deposit. Most applications are approved the "
             "same day."), None),
            ("How do I report a lost card?", ["lost", "stolen", "freeze", "fraud", "report"],
             ("Freeze your card instantly in the app under Cards, then call our 24/7 line. "
             "A replacement ships within two business days and you're never liable for "
             "unauthorised charges."), None),
            ("What are your fees?", ["fee", "fees", "overdraft", "charge", "monthly fee"],
             ("{company} charges no monthly maintenance fee with direct deposit, no overdraft "
             "fees under $50, and ATM fees are refunded up to $15 a month."), None),
        ],
        "taglines": ["{hook}, with you for the long run.", "Smart money starts with {hook_l}.",
                     "{hook} that grows with you."],
        "suffixes": ["Bank", "Financial", "Trust", "Capital"],
        "tone": "Reassuring, precise and discreet; explains money matters plainly and never "
                "rushes a decision.",
        "details": "Preferred branch: Downtown/Riverside/Online only; Statement delivery: "
                   "Paperless/Mail",
    },
    "insurance": {
        "kind": "insurance", "orders": "claims", "unit": "$", "popular_unit": "$/mo",
        "tabs": [
            ("policies", "Policies", "shield", "Show my policies", "policies"),
            ("premiums", "Premiums", "pie", "Break down my monthly premiums", "premiums"),
            ("claims", "Claims", "clipboard", "Show my claims", "claims"),
            ("coverage", "Coverage", "chart", "How much coverage do I have?", "coverage"),
        ],
        "metrics": [
            {"label": "Monthly premium", "unit": "$", "source": "total_premium_monthly"},
            {"label": "Total coverage", "unit": "$", "source": "total_coverage"},
            {"label": "Open claims", "unit": "", "source": "open_claims"},
        ],
        "qa": [
            ("What plans do you offer?", ["plan", "plans", "quote", "offer", "price", "cost"],
             ("Typical monthly starting prices at {company}: {price_list}. Bundle two policies and "
             "save up to 15%."), "rates"),
            ("How do I file a claim?", ["file", "new claim", "start a claim", "accident",
                                        "damage"],
             ("Start a claim in the app or call our claims line any time. Add photos and a short "
             "description; an adjuster contacts you within one business day."), None),
            ("Can I change my deductible?", ["change", "deductible", "lower", "raise"],
             ("Yes. You can change a deductible at renewal or mid-term in the app; a higher "
             "deductible lowers your premium, and we'll show the new price before you confirm."),
             None),
            ("How do I get proof of insurance?", ["proof", "id card", "certificate", "document"],
             ("Your proof of insurance is always in the app under Documents, ready to download "
             "or show on your phone."), None),
        ],
        "taglines": ["{hook}, covered.", "Peace of mind for {hook_l}.",
                     "{hook}, protected properly."],
        "suffixes": ["Mutual", "Insurance", "Assurance", "Shield"],
        "tone": "Calm, clear and empathetic; turns fine print into plain answers and is quick to "
                "reassure after an accident.",
        "details": "Payment plan: Monthly/Annual; Agent: Assigned agent/Online only",
    },
    "health": {
        "kind": "healthcare", "orders": "visits", "unit": "$", "popular_unit": "$",
        "tabs": [
            ("coverage", "Coverage", "shield", "How much of my deductible have I met?",
             "deductible"),
            ("appointments", "Visits", "calendar", "When is my next appointment?",
             "appointments"),
            ("prescriptions", "Prescriptions", "pill", "Show my prescriptions", "prescriptions"),
            ("costs", "Costs", "chart", "Show my out-of-pocket spending", "out_of_pocket"),
        ],
        "metrics": [
            {"label": "Deductible met", "unit": "$", "source": "deductible_met"},
            {"label": "Out-of-pocket left", "unit": "$", "source": "out_of_pocket_remaining"},
            {"label": "Upcoming visits", "unit": "", "source": "appointment_count"},
        ],
        "qa": [
            ("What do your services cost?", ["cost", "price", "prices", "how much", "fee",
                                             "services"],
             ("Typical self-pay prices at {company}: {price_list}. Your plan may cover part or "
             "all of these."), "rates"),
            ("How do I book an appointment?", ["book", "schedule", "appointment", "visit",
                                               "see a doctor"],
             ("Book in the app or patient portal: pick a provider, a time and the reason for your "
             "visit. Same-week slots open every Monday morning."), None),
            ("Do you take my insurance?", ["insurance", "in network", "accept", "coverage"],
             ("{company} is in network with most major plans. Share your member ID and we'll "
             "confirm your benefits before your visit."), None),
            ("What should I bring to my visit?", ["bring", "prepare", "first visit", ("new "
                                                  "patient")],
             ("Please bring a photo ID, your insurance card and a list of current medications, "
             "and arrive ten minutes early to check in."), None),
        ],
        "taglines": ["{hook}, with heart.", "Caring for {hook_l}.", "Trusted care for {hook_l}."],
        "suffixes": ["Health", "Care", "Clinic", "Medical"],
        "tone": "Warm, patient and careful; gives clear next steps and never offers a diagnosis.",
        "details": "Preferred contact: Text/Email/Phone; Preferred location: Main campus/North "
                   "office/Virtual",
    },
}

# Generic families share persona topics but differ in wording and tabs.
_GENERIC = {
    "retail": ("orders", ["Shop", "tag", "What are your best sellers?"],
               ["Orders", "package", "Show my recent orders"],
               ["Do you offer delivery?", ["deliver", "delivery", "shipping", "ship", "pickup"],
                ("We ship nationwide and offer same-day local delivery on orders placed before "
                "2 pm; pickup in store is always free.")],
               "Mon-Sat 9 am-7 pm, Sun 11 am-5 pm",
               ["{hook}, handpicked for you.", "Your go-to for {hook_l}.",
                "{hook}, the way you like it."],
               ["& Co.", "Market", "House", "Supply"],
               ("Friendly, upbeat and knowledgeable; makes confident recommendations and loves "
               "a good gift idea.")),
    "food": ("orders", ["Menu", "utensils", "What's popular on the menu?"],
             ["Orders", "receipt", "Show my recent orders"],
             ["Can I book a table?", ["book", "reserve", "reservation", "table", "booking"],
              ("Yes. Reserve online up to 30 days ahead; groups of eight or more can call us and "
              "we'll set up a private table.")],
             "Tue-Sun 11 am-10 pm, closed Mondays",
             ["{hook}, made fresh daily.", "Come hungry for {hook_l}.",
              "{hook}, served with a smile."],
             ["Kitchen", "Table", "& Co.", "House"],
             "Warm, welcoming and a little playful; talks about food with genuine enthusiasm."),
    "travel": ("stays", ["Explore", "map", "What are your most popular packages?"],
               ["Bookings", "calendar", "Show my recent bookings"],
               ["Can I change my booking?", ["change", "cancel", "reschedule", "modify",
                                             "refund"],
                ("Most bookings can be changed free of charge up to 48 hours before arrival; "
                "cancellations inside that window receive a travel credit.")],
               "Guest services 24/7",
               ["{hook}, made effortless.", "Escape to {hook_l}.", "{hook}, your way."],
               ["Travel", "Retreats", "Journeys", "Collective"],
               "Gracious, relaxed and attentive; anticipates needs and makes plans feel easy."),
    "home": ("jobs", ["Services", "tool", "What services do you offer?"],
             ["Jobs", "clipboard", "Show my past service visits"],
             ["How do I book a visit?", ["book", "schedule", "appointment", "quote", "estimate",
                                         "emergency"],
              ("Book online or by phone; we give free estimates, arrive in a two-hour window and "
              "text you when the technician is on the way. Emergency calls are answered 24/7.")],
             "Mon-Fri 7 am-6 pm, emergencies 24/7",
             ["{hook}, done right the first time.", "Reliable {hook_l}, on time.",
              "{hook} you can count on."],
             ["Pros", "Services", "& Sons", "Works"],
             ("Practical, reliable and straight-talking; gives honest estimates and clear "
             "timelines.")),
    "auto": ("services", ["Services", "car", "What services do you offer?"],
             ["History", "clipboard", "Show my service history"],
             ["How do I book a service?", ["book", "schedule", "appointment", "service",
                                           "drop off"],
              ("Book online, pick a time and drop off your keys; we text a video inspection and "
              "a price before any work starts. Loaner cars are available on request.")],
             "Mon-Fri 7:30 am-6 pm, Sat 8 am-2 pm",
             ["{hook}, without the runaround.", "Driven by {hook_l}.",
              "{hook} that keeps you moving."],
             ["Motors", "Auto", "Garage", "Motorworks"],
             "Confident, honest and no-nonsense; explains what's needed and what can wait."),
    "wellness": ("sessions", ["Services", "sparkles", "What services do you offer?"],
                 ["Sessions", "calendar", "Show my recent sessions"],
                 ["How do I book a session?", ["book", "schedule", "appointment", "class",
                                               "session"],
                  ("Book in the app up to three weeks ahead; cancel free of charge up to 12 "
                  "hours before. Your first visit includes a short consultation.")],
                 "Mon-Fri 6 am-9 pm, weekends 8 am-6 pm",
                 ["{hook}, made for you.", "Feel good with {hook_l}.",
                  "{hook} that fits your life."],
                 ["Studio", "Collective", "Lounge", "Club"],
                 ("Encouraging, calm and personal; celebrates progress and keeps things "
                 "positive.")),
    "pro": ("projects", ["Services", "briefcase", "What services do you offer?"],
            ["Projects", "clipboard", "Show my recent projects"],
            ["How do we get started?", ["start", "get started", "consultation", "meeting",
                                        "book", "hire"],
             ("Book a free 30-minute consultation; we'll scope your needs, send a written "
             "proposal within three business days and assign a dedicated lead.")],
            "Mon-Fri 8:30 am-5:30 pm",
            ["{hook}, handled with care.", "Expert {hook_l}, clearly delivered.",
             "{hook} that moves you forward."],
            ["Partners", "Group", "Associates", "Advisors"],
            ("Professional, concise and trustworthy; explains options clearly and respects "
            "your time.")),
    "tech": ("subscriptions", ["Plans", "cloud", "Which plans are most popular?"],
             ["Billing", "receipt", "Show my recent invoices"],
             ["How do I get support?", ["support", "help", "outage", "down", "problem",
                                        "ticket"],
              ("Our support team is online 24/7 by chat; check the status page for live service "
              "updates and open a ticket from your account for anything else.")],
             "Support 24/7, sales Mon-Fri 9 am-6 pm",
             ["{hook}, simply better.", "Smarter {hook_l} for everyone.",
              "{hook} that just works."],
             ["Labs", "Systems", "Networks", "Digital"],
             "Clear, efficient and friendly; skips jargon and gets to the fix quickly."),
    "edu": ("enrolments", ["Programs", "school", "Which programs are most popular?"],
            ["Enrolments", "book", "Show my recent enrolments"],
            ["How do I enrol?", ["enrol", "enroll", "sign up", "register", "join", "start"],
             ("Register online, choose a start date and book a free placement chat; most programs "
             "start every month and payment plans are available.")],
            "Mon-Thu 8 am-8 pm, Fri 8 am-5 pm, Sat 9 am-1 pm",
            ["{hook}, one step at a time.", "Learn with {hook_l}.",
             "{hook} that opens doors."],
            ["Academy", "Institute", "Learning", "School"],
            "Encouraging, patient and clear; breaks things into steps and celebrates milestones."),
    "pets": ("visits", ["Services", "paw", "What services do you offer?"],
             ["Visits", "calendar", "Show my recent visits"],
             ["How do I book?", ["book", "schedule", "appointment", "reserve", "visit"],
              ("Book online or in the app; new pets need current vaccination records, and we send "
              "a reminder the day before.")],
             "Mon-Sat 7 am-7 pm",
             ["{hook}, tails wagging.", "Happy pets love {hook_l}.",
              "{hook} for the whole pack."],
             ["Pet Co.", "Paws", "Companions", "Pet Care"],
             "Cheerful, caring and gentle; treats every pet like family."),
    "fun": ("tickets", ["What's on", "film", "What's popular right now?"],
            ["Tickets", "receipt", "Show my recent tickets"],
            ["How do I book tickets?", ["book", "ticket", "tickets", "reserve", "group"],
             ("Book tickets online or in the app and skip the line with your phone; groups of ten "
             "or more get 15% off.")],
            "Daily 10 am-11 pm",
            ["{hook}, every single day.", "Let's go: {hook_l}!", "{hook} worth sharing."],
            ["Entertainment", "Hall", "Society", "Arena"],
            "Lively, fun and welcoming; hypes the good stuff without overselling."),
    "utility": ("bills", ["Plans", "bolt", "What plans do you offer?"],
                ["Bills", "receipt", "Show my recent bills"],
                ["How do I report a problem?", ["report", "outage", "problem", "issue", "late",
                                                "missing"],
                 ("Report it in the app or on our 24/7 line; you'll get a reference number and "
                 "text updates until it's resolved.")],
                "Customer care Mon-Fri 8 am-8 pm, emergencies 24/7",
                ["{hook}, running smoothly.", "Dependable {hook_l}, every day.",
                 "{hook} you never have to think about."],
                ["Services", "Logistics", "Utilities", "Network"],
                "Dependable, clear and efficient; gives exact times, numbers and next steps."),
}


def _generic_family(name: str, spec: tuple) -> dict:
    orders, shop_tab, orders_tab, logistics, hours, taglines, suffixes, tone = spec
    return {
        "kind": "generic", "orders": orders, "unit": "$", "popular_unit": "",
        "tabs": [
            (shop_tab[0].lower().replace("'", "").replace(" ", "-"), shop_tab[0], shop_tab[1],
             shop_tab[2], "qa:0"),
            (orders_tab[0].lower(), orders_tab[0], orders_tab[1], orders_tab[2], "orders"),
            ("spending", "Spending", "chart", "Show my spending over the last year",
             "spend_history"),
            ("rewards", "Rewards", "gift", "How many loyalty points do I have?", "loyalty"),
            ("prices", "Prices", "percent", "What are your prices?", "qa:1"),
        ],
        "metrics": [
            {"label": "Lifetime spend", "unit": "$", "source": "lifetime_spend"},
            {"label": "Loyalty points", "unit": "pts", "source": "loyalty_points"},
            {"label": "{kpi}", "unit": "", "range": [120, 4800]},
            {"label": "Customer rating", "unit": "/5", "range": [4.4, 4.9]},
        ],
        "qa": [
            *_GENERIC_QA,
            (logistics[0], logistics[1], logistics[2], None),
            ("What are your opening hours?", ["hours", "open", "opening", "close", "closing"],
             f"Our hours are {hours}. You can reach us online any time.", None),
        ],
        "taglines": taglines,
        "suffixes": suffixes,
        "tone": tone,
        "details": "Preferred contact: Email/Text/Phone",
    }


for _name, _spec in _GENERIC.items():
    FAMILIES[_name] = _generic_family(_name, _spec)
