"""The assistant's own code that Rasa loads: custom actions (``bot.actions``) and the ``widget`` channel
(``bot.channels``)."""

WIDGET_CHANNEL = "widget"  # the web app's chat widget, which shows career cards
