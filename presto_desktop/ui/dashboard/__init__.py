"""The dashboard: persona card, KPI cards, tab buttons and the charts a reply asks for.

It owns how a mode's business data is shown (`panel.Dashboard`, `cards`, `charts`); the text on
the cards is formatted Qt-free in presto_desktop.session.dashboard_text. It never imports the
chat; tab clicks leave as signals that the shell routes.
"""
