"""The signature algorithm against the example values in Twilio's security documentation."""

from __future__ import annotations

from voicebot.telephony.twilio_signature import compute_signature, is_valid

TOKEN = "12345"
URL = "https://mycompany.com/myapp.php?foo=1&bar=2"


def _params(caller: str) -> dict[str, str]:
    return {"CallSid": "CA1234567890ABCDE", "Caller": caller, "Digits": "1234", "From": caller, "To": "+18005551212"}


def test_documented_examples() -> None:
    # Twilio's docs and SDK test suites sign these two parameter sets with token 12345
    assert compute_signature(TOKEN, URL, _params("+14158675309")) == "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    assert compute_signature(TOKEN, URL, _params("+14158675310")) == "GvWf1cFY/Q7PnoempGyD5oXAezc="


def test_validation_rejects_any_change() -> None:
    params = _params("+14158675309")
    good = "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    assert is_valid(TOKEN, URL, params, good)
    assert is_valid(TOKEN, URL, list(reversed(params.items())), good)  # order of the form does not matter
    assert not is_valid(TOKEN, URL, {**params, "Digits": "1235"}, good)
    assert not is_valid(TOKEN, URL.replace("foo=1", "foo=2"), params, good)
    assert not is_valid("54321", URL, params, good)
    assert not is_valid(TOKEN, URL, params, None)
    assert not is_valid(TOKEN, URL, params, "")


def test_standard_port_may_or_may_not_be_in_the_signed_url() -> None:
    params = _params("+14158675309")
    with_port = compute_signature(TOKEN, "https://mycompany.com:443/myapp.php?foo=1&bar=2", params)
    assert is_valid(TOKEN, URL, params, with_port)
    assert is_valid(TOKEN, "https://mycompany.com:443/myapp.php?foo=1&bar=2", params, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
    other_port = compute_signature(TOKEN, "https://mycompany.com:8443/myapp.php?foo=1&bar=2", params)
    assert not is_valid(TOKEN, URL, params, other_port)
