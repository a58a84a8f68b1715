"""Analytics for careers advisers and teachers: a derived table of conversation turns kept up to date
from Rasa's SQL tracker store, the queries behind the dashboard, and dashboard accounts. Reads the
conversations database (``TRACKER_DATABASE_URL``); never the catalogue's."""
