"""The assistant's own code that Rasa loads: custom actions (``bot.actions``) and the ``widget`` channel
(``bot.channels``)."""
