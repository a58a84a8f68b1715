"""Opportunities near a school: the records, importing an adviser's CSV, searching by place and kind,
and live apprenticeship vacancies from the national service."""
