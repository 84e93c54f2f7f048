"""Web chat sign-in: which tokens give an identity, and the settings that turn it on."""

from __future__ import annotations

import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from channels.socketio import SignInRules, verified_sign_in
from passordhjelp.config import ConfigError, load_settings

SECRET = "s3cret-for-tests-" * 3


def subject_of(value, key, algorithm, **rules):
    signed_in = verified_sign_in(value, SignInRules(key, algorithm, **rules))
    return signed_in.subject if signed_in else None


@pytest.fixture(scope="module")
def rsa_keys():
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public_pem


def token(claims, key=SECRET, algorithm="HS256"):
    return jwt.encode(claims, key, algorithm=algorithm)


def valid(**claims):
    return {"sub": "kari@contoso.no", "exp": int(time.time()) + 300, **claims}


@pytest.mark.parametrize("subject", ["kari@contoso.no", "kari.o'hara+it@contoso.no",
                                     "åse.bjørnstad@firma.no", "00000000-0000-0000-0000-0000000000aa"])
def test_sign_in_subject_of_a_valid_token(subject):
    assert subject_of(token(valid(sub=subject)), SECRET, "HS256") == subject


@pytest.mark.parametrize("claims, key", [
    (valid(), "another-secret-of-enough-length-0123"),    # forged
    (valid(exp=int(time.time()) - 60), SECRET),            # expired
    ({"sub": "kari@contoso.no"}, SECRET),                  # never expires
    ({"exp": int(time.time()) + 300}, SECRET),             # nobody
    (valid(sub="   "), SECRET),
    (valid(sub="k" * 256), SECRET),
    (valid(sub="kari\n[INFO] admin logged in"), SECRET),         # log line injection
    (valid(sub="\x1b]0;owned\x07kari"), SECRET),                  # terminal escape
    (valid(sub="<!channel>"), SECRET),                            # Slack mrkdwn
    (valid(sub="[kari](https://evil.example)"), SECRET),          # markdown link
    (valid(sub="kari\u202e@contoso.no"), SECRET),                 # bidi override
    (valid(sub=" kari@contoso.no"), SECRET),
    (valid(sub=42), SECRET),
])
def test_sign_in_refuses_unusable_tokens(claims, key):
    assert subject_of(token(claims, key), SECRET, "HS256") is None


@pytest.mark.parametrize("value", [None, "", 42, {"token": "x"}, "not-a-jwt"])
def test_sign_in_refuses_what_is_not_a_token(value):
    assert subject_of(value, SECRET, "HS256") is None


def test_sign_in_refuses_an_unsigned_token():
    unsigned = jwt.encode(valid(), None, algorithm="none")
    assert subject_of(unsigned, SECRET, "HS256") is None


def test_sign_in_rs256_accepts_only_the_key_pair(rsa_keys):
    private, public_pem = rsa_keys
    assert subject_of(token(valid(), private, "RS256"), public_pem, "RS256") == "kari@contoso.no"
    # Only RS256 is accepted then: an HS256 token is refused whatever its key.
    assert subject_of(token(valid(), SECRET), public_pem, "RS256") is None


def test_sign_in_settings_default_to_anonymous():
    assert load_settings({}).webchat_jwt is None


def test_sign_in_settings_secret_and_public_key(rsa_keys, tmp_path):
    _, public_pem = rsa_keys
    assert load_settings({"WEBCHAT_JWT_SECRET": SECRET}).webchat_jwt == (SECRET, "HS256")
    assert load_settings({"WEBCHAT_JWT_PUBLIC_KEY": public_pem}).webchat_jwt == (
        public_pem.strip(), "RS256")
    pem_file = tmp_path / "webchat.pem"
    pem_file.write_text(public_pem, encoding="utf-8")
    assert load_settings({"WEBCHAT_JWT_PUBLIC_KEY": str(pem_file)}).webchat_jwt == (
        public_pem.strip(), "RS256")
    assert SECRET not in repr(load_settings({"WEBCHAT_JWT_SECRET": SECRET}))


@pytest.mark.parametrize("env, variable", [
    ({"WEBCHAT_JWT_SECRET": "short"}, "WEBCHAT_JWT_SECRET"),
    ({"WEBCHAT_JWT_PUBLIC_KEY": "/no/such/key.pem"}, "WEBCHAT_JWT_PUBLIC_KEY"),
    ({"WEBCHAT_JWT_PUBLIC_KEY": "-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----"},
     "WEBCHAT_JWT_PUBLIC_KEY"),
    ({"WEBCHAT_JWT_SECRET": SECRET, "WEBCHAT_JWT_PUBLIC_KEY": "x"}, "WEBCHAT_JWT_SECRET"),
])
def test_sign_in_settings_errors_name_the_variable(env, variable):
    with pytest.raises(ConfigError, match=variable):
        load_settings(env)


def test_sign_in_checks_audience_and_issuer_when_configured():
    rules = {"audience": "passordhjelp", "issuer": "https://intranet.contoso.no"}
    good = valid(aud="passordhjelp", iss="https://intranet.contoso.no")
    assert subject_of(token(good), SECRET, "HS256", **rules) == "kari@contoso.no"
    for claims in (valid(aud="another-app", iss=good["iss"]),
                   valid(aud="passordhjelp", iss="https://evil.example"),
                   valid(iss=good["iss"]), valid(aud="passordhjelp")):
        assert subject_of(token(claims), SECRET, "HS256", **rules) is None
    # Not configured: not checked, so tokens made for several apps still work.
    assert subject_of(token(good), SECRET, "HS256") == "kari@contoso.no"


def test_sign_in_refuses_tokens_that_live_longer_than_the_maximum():
    now = int(time.time())
    assert subject_of(token(valid(iat=now, exp=now + 600)), SECRET, "HS256",
                      max_lifetime=600) == "kari@contoso.no"
    for claims in (valid(iat=now, exp=now + 601), valid(iat=now - 3600, exp=now + 60),
                   valid(exp=now + 10 * 365 * 86400)):
        assert subject_of(token(claims), SECRET, "HS256", max_lifetime=600) is None


def test_sign_in_rules_come_from_the_settings():
    env = {"WEBCHAT_JWT_SECRET": SECRET, "WEBCHAT_JWT_AUDIENCE": "passordhjelp",
           "WEBCHAT_JWT_ISSUER": "https://intranet.contoso.no", "WEBCHAT_JWT_MAX_LIFETIME": "900"}
    assert SignInRules.from_settings(load_settings(env)) == SignInRules(
        SECRET, "HS256", "passordhjelp", "https://intranet.contoso.no", 900)
    assert SignInRules.from_settings(load_settings({})) is None
    assert load_settings({}).webchat_jwt_max_lifetime == 3600
    with pytest.raises(ConfigError, match="WEBCHAT_JWT_MAX_LIFETIME"):
        load_settings({"WEBCHAT_JWT_MAX_LIFETIME": "forever"})
