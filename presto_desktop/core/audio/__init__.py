"""Qt-free audio: PCM16 mono format, device protocols, WAV files, resampling, levels, VAD.

The window's QtMultimedia adapters and the headless `voice` command both sit behind the
protocols in devices.py; everything here is plain Python (no numpy, no Qt).
"""
