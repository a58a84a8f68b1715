"""Finding and taking out personal data in what a student types. Pure Python, with no Rasa in it, so that
the bot (before Rasa stores a message) and the web app (before it stores a message written to a careers
adviser) take out the same things in the same way."""
