"""The assistant's own code that Rasa loads: custom actions (``bot.actions``) and, later, custom
components such as a redacting tracker store."""
