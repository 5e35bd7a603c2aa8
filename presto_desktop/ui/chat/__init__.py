"""The chat: the conversation's model and view, the composer, live replies and the chat controller.

It owns what the user reads and types: `panel.ChatPanel` (history view, composer, chips, notices),
the message model and its delegate-drawn rows, the live reply that grows as it streams, and
`controller.ChatController`, which adapts a chat session's async replies to signals and saves
the conversation off the GUI thread. It never imports the dashboard; the shell connects the two.
"""
