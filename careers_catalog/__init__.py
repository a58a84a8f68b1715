"""The careers catalogue: careers, subjects and routes in, and how to search them.

This package is the domain of the assistant and knows nothing about Rasa. Content lives in the data
files under ``careers_catalog/data``; :mod:`careers_catalog.careers.loader` builds the database from them and
:class:`careers_catalog.careers.catalog.Catalog` answers questions about it.
"""

from careers_catalog.careers.catalog import CareerProfile, Catalog
from careers_catalog.careers.search import CareerMatch

__all__ = ["Catalog", "CareerProfile", "CareerMatch"]
