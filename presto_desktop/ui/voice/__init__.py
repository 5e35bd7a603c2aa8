"""Voice: the spoken conversation's Qt half (docs/VOICE.md).

It owns the QtMultimedia devices behind core.audio's protocols (`audio.QtMicrophone`,
`audio.QtAudioOutput`), the system voice (`speaker.QtSystemVoice`, QtTextToSpeech) and
`controller.VoiceController`, which runs session.voice.VoiceSession as a task on the qasync
loop and turns its VoiceSink calls into signals. It knows nothing of the chat or the
dashboard; the shell connects them (ui/shell/voice_wiring.py).
"""
