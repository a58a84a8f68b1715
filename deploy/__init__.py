"""Running several Rasa servers and action servers behind one address (``make run-cluster``): nginx's
configuration template, and the checks that run before the servers start."""
