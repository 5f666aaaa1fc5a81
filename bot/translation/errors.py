"""Why one provider could not translate one text. The service reacts to the kind, not the message."""

from __future__ import annotations


class ProviderError(Exception):
    """The provider failed for this text; the next provider in the chain is tried.

    `opens_breaker` means the failure will not fix itself within seconds (a timeout, a spent quota, a bad key),
    so the provider is rested at once instead of after a run of failures.
    """

    opens_breaker = False
    counts_as_failure = True

    def __init__(self, provider: str, detail: str) -> None:
        super().__init__(f"{provider}: {detail}")
        self.provider = provider
        self.detail = detail


class ProviderTimeout(ProviderError):
    opens_breaker = True


class ProviderQuotaError(ProviderError):
    """Rate limit or daily quota reached (HTTP 429, DeepL 456, MyMemory's quota warning...)."""

    opens_breaker = True


class ProviderAuthError(ProviderError):
    opens_breaker = True


class ProviderOutputRejected(ProviderError):
    """The provider answered, but the answer is not a translation (empty, the input echoed, a warning)."""


class UnsupportedLanguage(ProviderError):
    """This provider does not offer the language pair; that says nothing about its health."""

    counts_as_failure = False
