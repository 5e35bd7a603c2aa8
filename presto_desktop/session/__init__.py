"""Qt-free session layer between the window (or the CLI) and the engines.

It owns what a session decides, as plain Python that both front ends share: how a mode
request resolves (modes.ModeService: reset, reuse a saved mode, refine, generate, save) and
the answer to a trigger that names no business, and where a chat reply comes from
(replies.ReplyService over reply_cache.ReplyCache; prefetch.Prefetcher fetches tab answers
ahead on LLM engines). It imports no PySide6, qasync or openai;
the ui adapts its async results to signals, the CLI prints them.
"""
