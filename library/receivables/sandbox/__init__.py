"""The embedded demo world: a seeded generator of a company's receivables and the local apps."""
