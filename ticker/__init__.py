"""ticker: scraped news-teaser text into dated headline records and feeds.

The library in one line::

    from ticker import parse
    records = parse(text, now=datetime.now(UTC))
"""

from .errors import InputError, ProfileError, TickerError
from .model import Record
from .parsing import Parser, parse, residue

__all__ = ["InputError", "Parser", "ProfileError", "Record", "TickerError", "parse", "residue"]
__version__ = "0.1.0"
