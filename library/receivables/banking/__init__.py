"""Bank statements: parsers for statement files and web-banking scrapers."""
