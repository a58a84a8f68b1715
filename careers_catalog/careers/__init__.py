"""Careers: the records, their schema and loader, reading, searching and suggesting them, pay and
reference tables, the careers plan and the yearly audit."""
