"""Secret redaction: the regression set, whole spans, structured formats, kinds, look-alikes."""

import pytest
import yaml

from passordhjelp.config import PROJECT_ROOT
from passordhjelp.redaction import PLACEHOLDER, redact

CASES = yaml.safe_load(
    (PROJECT_ROOT / "tests" / "security" / "redaction_cases.yml").read_text(encoding="utf-8")
)


def test_redaction_regression_set_is_caught_whole_and_benign_messages_pass():
    missed = [c["text"] for c in CASES["disclosures"] if c["secret"] in redact(c["text"]).text]
    wrongly = [t for t in CASES["benign"] if redact(t).found]
    assert missed == []
    assert wrongly == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("my password is Sommer2024!", f"my password is {PLACEHOLDER}"),
        ("passordet mitt er Sommer2024! hjelp", f"passordet mitt er {PLACEHOLDER} hjelp"),
        ("old pw A1b2c3d4 new pw Z9y8x7w6", f"old pw {PLACEHOLDER} new pw {PLACEHOLDER}"),
        # the value, not a filler word after the cue
        ("my password is probably Sommer2024", f"my password is probably {PLACEHOLDER}"),
        ("passordet er visst blåbær!12 nå", f"passordet er visst {PLACEHOLDER} nå"),
        # the whole passphrase, quoted or after "passphrase:"
        ('my passphrase is "purple horse eats 7 apples"', f'my passphrase is "{PLACEHOLDER}"'),
        ("passfrasen min er «blå hest spiser is»", f"passfrasen min er «{PLACEHOLDER}»"),
        ("my passphrase: purple mountain winter tiger!", f"my passphrase: {PLACEHOLDER}"),
        # before the cue, in a pair, with no cue at all
        ("Kanel*Bolle5 er passordet mitt", f"{PLACEHOLDER} er passordet mitt"),
        ("kari@contoso.no / sommerfugl", f"kari@contoso.no / {PLACEHOLDER}"),
        ("I tried Tiger#Lily77 twice", f"I tried {PLACEHOLDER} twice"),
        (
            "jeg skrev blåbærsnø men det står feil passord",
            f"jeg skrev {PLACEHOLDER} men det står feil passord",
        ),
        ("tried rockethunter, then rockethunter1", f"tried {PLACEHOLDER}, then {PLACEHOLDER}"),
        # plain words where a cue names them, before or after, in either language
        ("sunflower is what I use for everything", f"{PLACEHOLDER} is what I use for everything"),
        ("solsikke er det jeg bruker på alt", f"{PLACEHOLDER} er det jeg bruker på alt"),
        ("my password has always been kingfisher", f"my password has always been {PLACEHOLDER}"),
        (
            "passordet jeg valgte er vandrelyst, er det for enkelt?",
            f"passordet jeg valgte er {PLACEHOLDER}, er det for enkelt?",
        ),
        ("the password is avocado", f"the password is {PLACEHOLDER}"),
        ("passet er måneskinn forresten", f"passet er {PLACEHOLDER} forresten"),
        ("mitt er blåbærpai", f"mitt er {PLACEHOLDER}"),
        ("passordet mitt er Vår 2025", f"passordet mitt er {PLACEHOLDER}"),
        ("korrekt hest batteri stift er passfrasen min", f"{PLACEHOLDER} er passfrasen min"),
        # pairs: the password, never the user name before it
        ("login jhaugland pw cactus", f"login jhaugland pw {PLACEHOLDER}"),
        ("username jdoe password octopus", f"username jdoe password {PLACEHOLDER}"),
        ("james.bakke@fabrikam.no / 8850531693", f"james.bakke@fabrikam.no / {PLACEHOLDER}"),
        # digits after a password cue, codes read out in pairs
        ("passordet mitt er bare tall, 20406080", f"passordet mitt er bare tall, {PLACEHOLDER}"),
        ("engangskoden min er 48 29 17", f"engangskoden min er {PLACEHOLDER}"),
        # "again with X" still names what was typed
        ("prøvde igjen med blåbærsyltetøy", f"prøvde igjen med {PLACEHOLDER}"),
    ],
)
def test_redaction_removes_the_whole_value_and_nothing_else(text, expected):
    assert redact(text).text == expected


@pytest.mark.parametrize(
    "text, secret, kind",
    [
        (
            "BitLocker: 123456-234567-345678-456789-567890-678901-789012-890123",
            "123456-234567-345678-456789-567890-678901-789012-890123",
            "recovery_key",
        ),
        (
            "gjenopprettingskoden er ABCDE-12345-FGHIJ-67890-KLMNO",
            "ABCDE-12345-FGHIJ-67890-KLMNO",
            "recovery_key",
        ),
        (
            "client secret abc8Q~aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5",
            "abc8Q~aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5",
            "token",
        ),
        (
            "boten bruker xoxb-123456789012-123456789012-abcdefABCDEF123456",
            "xoxb-123456789012-123456789012-abcdefABCDEF123456",
            "token",
        ),
        (
            "token: ghp_abcdefghijklmnopqrstuvwxyz0123456789",
            "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
            "token",
        ),
        (
            "auth header eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlX2hlcmU",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlX2hlcmU",
            "token",
        ),
        (
            "Server=tcp:db.example.net,1433;Initial Catalog=hr;User ID=app;Password=Vinter!2024;",
            "Server=tcp:db.example.net,1433;Initial Catalog=hr;User ID=app;Password=Vinter!2024;",
            "password",
        ),
        (
            "bruk postgresql://app:Hemmelig123@db.local:5432/hr",
            "postgresql://app:Hemmelig123@db.local:5432/hr",
            "password",
        ),
        ("the code from the SMS is 483 920", "483 920", "one_time_code"),
        ("koden fra authenticator er 123456", "123456", "one_time_code"),
        ("min PIN er 4821", "4821", "one_time_code"),
        ("my backup codes are 1234 5678", "1234 5678", "recovery_key"),
        ("passordet mitt er hemmelig123", "hemmelig123", "password"),
        ("bruk 553901 for å logge inn, står det", "553901", "one_time_code"),
        ("Windows Hello-PIN-en min er 2468", "2468", "one_time_code"),
        ("qwerty123 didn't work either", "qwerty123", "password"),
    ],
)
def test_redaction_names_the_kind_and_removes_structured_secrets_whole(text, secret, kind):
    redaction = redact(text)
    assert secret not in redaction.text and PLACEHOLDER in redaction.text
    assert redaction.kinds == (kind,)


@pytest.mark.parametrize(
    "text",
    [
        "status of PH-7K3QXA",
        "noe nytt om PH-4MZ8TQ?",
        "ticket INC0045621 is still open",
        "I got AADSTS50126: Error validating credentials due to invalid username or password.",
        "feilkode 0x80070005 når jeg logger på",
        "error code 1001 after I typed my password",
        "I use Windows11 and Office365 on an iPhone 15",
        "Windows 11 23H2 build 22631.3155",
        "møtet er 14.03.2025 kl. 09:00",
        "can we meet 29/11 at 9am-5pm?",
        "ring meg på +47 912 34 567",
        "I'm in room B2-304",
        "jeg sitter på møterom Fjord-2",
        "kari.nordmann",
        "my username is kn1234",
        "min bruker er pol123",
        "e-posten min er kari@contoso.no",
        "kollegaen min per.olsen2 er låst ute",
        "my password is expired",
        "passordet mitt er feil",
        "my password is the same as before",
        "passordet er navnet på katten min",
        "passordet ble endret i forrige uke",
        "I typed my password wrong 5 times",
        "the SMS code didn't arrive",
        "koden gikk ut etter 30 sekunder",
        "Correlation ID: 7c3e1f0a-2b4d-4e6f-8a9b-0c1d2e3f4a5b",
        "Visit aka.ms/mfasetup",
        'Outlook sier "Passordet ditt er utløpt"',
        "I use a password manager called 1Password",
        "hello <b>hi</b> <script>window.pwned = 1</script> help me",
        "${jndi:ldap://x}",
        "Hostname: osl-lt-0423",
        "Jeg fikk kode 50076 på skjermen",
        "Passordet ble satt i 2021",
        "/human_handoff",
        "/feedback_positive",
        "/session_start",
        "/restart",
        # cue words followed by ordinary words, counts, tickets, names and things
        "jeg skrev passordet to ganger",
        "jeg prøvde tre ganger og ga opp",
        "koden kom ikke",
        "passordet er i orden nå",
        "passordet mitt blir endret i morgen",
        "my password is longer than 12 characters",
        "forespørsel om nytt passord REQ0019923 fra 12.11",
        "is SAK-67192 about my password?",
        "Teams 2.1-klienten på macOS 14.6 krasjer",
        "innloggingssiden virker ikke",
        "mappen heter Prosjekt-Fjordlys-2024",
        "referanse: 2026-11-29/0042",
        "the VPN server is vpn.contoso.com:443",
        "SharePoint site /sites/HR-Team2024 is slow",
        "error code 80180014 after I typed my password",
        "ring 22 33 44 55",
        "Hei, det er Solveig Haugland fra lønn",
        "jeg prøvde appen på mobilen",
        # "try again" then a time: when, not what was typed
        "nei takk, jeg tar sjansen og prøver igjen på torsdag",
        "ok, skal teste på nytt i kveld etter møtet",
        "fine, I'll try again on Wednesday",
        # a chat abbreviation after "what it was": how sure, not the value
        "no idea what the old one was tbh",
        "aner ikke hva det var ngl",
        # an English past behind a prefix is a verb, not words run together
        "the laptop got reimaged and I have no clue what my password was",
        "it got resynced, forgot my password",
    ],
)
def test_redaction_leaves_harmless_look_alikes_untouched(text):
    redaction = redact(text)
    assert (redaction.text, redaction.kinds) == (text, ())


def test_redaction_lone_secret_leaves_nothing_to_answer():
    assert redact("Canary-7Q9x!pz").only_secrets
    assert redact("483920").only_secrets
    assert not redact("I forgot it, my password is Canary-7Q9x!pz").only_secrets


@pytest.mark.parametrize(
    "text",
    [
        # a code word after a room reference used to raise an error in the detector
        "room B2-104: the code for the door doesn't work",
        "rom B2-104: koden til døra virker ikke",
    ],
)
def test_redaction_code_of_a_room_neither_fails_nor_removes_anything(text):
    redaction = redact(text)
    assert (redaction.text, redaction.found) == (text, False)


@pytest.mark.parametrize(
    "text, kept",
    [
        # an example the writer doesn't say is theirs passes
        ("Is a password like Password1 allowed?", "Is a password like Password1 allowed?"),
        ("er et passord som Sommer2024 godkjent?", "er et passord som Sommer2024 godkjent?"),
        # one the writer says is theirs, or typed, is removed
        (
            "my password is something like Summer2024! is that ok?",
            f"my password is something like {PLACEHOLDER} is that ok?",
        ),
        (
            "I typed something like Kx9#pLm2 and it failed?",
            f"I typed something like {PLACEHOLDER} and it failed?",
        ),
    ],
)
def test_redaction_hypothetical_examples_pass_but_own_passwords_do_not(text, kept):
    assert redact(text).text == kept


@pytest.mark.parametrize("text", ["what does <b> mean, and is <script> allowed?",
                                  "er </div> lov å bruke?", "is <h1> ok in the signature?"])
def test_redaction_markup_tags_asked_about_are_not_secrets(text):
    assert redact(text).text == text


def test_redaction_a_value_in_angle_brackets_after_a_cue_is_still_removed():
    assert "Tulip88" not in redact("my password is <Tulip88>").text


def test_cues_file_with_a_yaml_boolean_in_a_word_list_is_refused(tmp_path, monkeypatch):
    from passordhjelp.secrets import detector

    # "no" unquoted is YAML's false: the list would silently hold "False" instead of the word.
    broken = tmp_path / "cues.yml"
    broken.write_text(
        detector._CUES_FILE.read_text(encoding="utf-8") + "\nnegation_words_test: [not, no]\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(detector, "_CUES_FILE", broken)
    detector.cues.cache_clear()
    try:
        with pytest.raises(ValueError, match="negation_words_test"):
            detector.cues()
    finally:
        monkeypatch.undo()
        detector.cues.cache_clear()
    assert detector.cues().password_stems  # the real file loads again
