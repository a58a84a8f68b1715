"""Custom actions, one module per skill, served by ``rasa run actions --actions bot.actions``.

Each action is thin: it reads slots and entities, asks :mod:`careers_catalog`, and sends messages built
by :mod:`bot.actions.messages`.
"""
