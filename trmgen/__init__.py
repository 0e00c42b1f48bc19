"""trmgen: Transnational Referral Mechanism guidelines as validated data and a living site."""

__version__ = "0.1.0"
