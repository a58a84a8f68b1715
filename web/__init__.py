"""The web app: the chat widget and its API for school websites, the teacher's lesson page, the demo
school page and the printable careers plan (``python -m web`` or ``make run``; port 8000)."""
