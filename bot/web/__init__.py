"""The web dashboard for admins and units (bot/web/app.py), signed in through Telegram (bot/web/auth.py)."""
