"""A generated corpus for the secret detector: templates in both languages, varied values.

Built from the categories in issue 10 (never from the independent set): secrets in
every position of a sentence, with cues of many forms or none, multi-word and quoted
passphrases, codes, PINs, keys and tokens; and harmless messages full of
look-alikes (references, error codes, versions, dates, times, phone numbers, rooms,
e-mail addresses, user names, sentences about passwords). Deterministic: the same
seed gives the same cases.
"""

from __future__ import annotations

import random
import string
from typing import Callable, Dict, List

WORDS = {
    "en": [
        "summer",
        "winter",
        "tiger",
        "dragon",
        "monkey",
        "sunshine",
        "coffee",
        "football",
        "flower",
        "mountain",
        "river",
        "purple",
        "banana",
        "horse",
        "shadow",
        "rocket",
        "castle",
        "forest",
        "thunder",
        "pepper",
        "falcon",
        "silver",
        "garden",
        "pirate",
        "wizard",
        "cookie",
        "butterfly",
        "penguin",
        "lemon",
        "ocean",
        "maple",
        "hunter",
    ],
    "nb": [
        "sommer",
        "vinter",
        "katt",
        "hund",
        "fotball",
        "kaffe",
        "blomst",
        "fjell",
        "elg",
        "bjørn",
        "fisk",
        "snø",
        "regn",
        "ekorn",
        "solsikke",
        "blåbær",
        "tyttebær",
        "laks",
        "hytte",
        "båt",
        "kanel",
        "bolle",
        "troll",
        "fjord",
        "måke",
        "ørret",
        "skog",
        "sykkel",
        "lue",
        "vott",
        "pølse",
        "kjeks",
        "rein",
        "nisse",
        "ærfugl",
        "gulrot",
    ],
}
PLACES = ["Oslo", "Bergen", "Tromsø", "Lofoten", "Paris", "London", "Roma", "Molde"]
NAMES = ["Kari", "Ola", "Emma", "Jonas", "Nora", "Lars", "Ingrid", "Per", "Sofie", "Anna"]
SYMBOLS = "!#$%&*?@+=_-.~"


def _case(rng: random.Random, word: str) -> str:
    return rng.choice(
        [word, word.capitalize(), word.upper() if len(word) < 5 else word, word.capitalize()]
    )


def _leet(word: str) -> str:
    return word.translate(str.maketrans({"a": "4", "e": "3", "i": "1", "o": "0", "s": "5"}))


def password(rng: random.Random, language: str) -> str:
    """A password of one of many shapes people use."""
    word = rng.choice(WORDS[language] + WORDS["en"][:10])
    other = rng.choice(WORDS[language])
    year = str(rng.randint(1970, 2027))
    shapes: List[Callable[[], str]] = [
        lambda: _case(rng, word) + year,
        lambda: _case(rng, word) + year + rng.choice("!#?*"),
        lambda: (
            word.capitalize() + rng.choice(SYMBOLS) + other.capitalize() + str(rng.randint(1, 99))
        ),
        lambda: word + str(rng.randint(1, 999)),
        lambda: _leet(word).capitalize() + rng.choice("!#@") + str(rng.randint(0, 99)),
        lambda: "".join(
            rng.choice(string.ascii_letters + string.digits + "!#%&")
            for _ in range(rng.randint(8, 16))
        ),
        lambda: rng.choice(PLACES) + year,
        lambda: rng.choice(NAMES) + rng.choice(["", ".", "_"]) + str(rng.randint(10, 9999)),
        lambda: word + other + str(rng.randint(1, 99)),
        lambda: "".join(rng.choice(string.digits) for _ in range(rng.randint(6, 10))),
        lambda: word + "@" + other + str(rng.randint(1, 9)),
        lambda: word.capitalize() + "~" + other + "." + year[-2:],
        lambda: "P@ssw0rd" + str(rng.randint(1, 99)),
        lambda: word.capitalize() + "." + other.capitalize() + "." + year,
        lambda: "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(7, 11))),
        lambda: word + other,
        lambda: _case(rng, word) + "-" + str(rng.randint(10, 99)),
    ]
    return rng.choice(shapes)()


def passphrase(rng: random.Random, language: str) -> str:
    words = rng.sample(WORDS[language], rng.randint(3, 4))
    return rng.choice([" ", "-", " "]).join(words) + rng.choice(["", "", " 7", "!"])


def one_time_code(rng: random.Random) -> str:
    code = "".join(rng.choice(string.digits) for _ in range(rng.choice([6, 6, 6, 8, 5])))
    if len(code) == 6 and rng.random() < 0.3:
        return code[:3] + " " + code[3:]
    return code


def pin(rng: random.Random) -> str:
    return "".join(rng.choice(string.digits) for _ in range(rng.choice([4, 4, 6])))


def _random(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def token(rng: random.Random) -> str:
    an = string.ascii_letters + string.digits
    makers = [
        lambda: "ghp_" + _random(rng, an, 36),
        lambda: "github_pat_" + _random(rng, an + "_", 60),
        lambda: (
            "xoxb-"
            + _random(rng, string.digits, 12)
            + "-"
            + _random(rng, string.digits, 12)
            + "-"
            + _random(rng, an, 24)
        ),
        lambda: "xoxp-" + _random(rng, string.digits, 11) + "-" + _random(rng, an, 30),
        lambda: _random(rng, an, 3) + "8Q~" + _random(rng, an + "_.~-", 34),
        lambda: (
            "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJ"
            + _random(rng, an + "_-", 40)
            + "."
            + _random(rng, an + "_-", 43)
        ),
        lambda: "sk-" + _random(rng, an, 40),
        lambda: "AKIA" + _random(rng, string.ascii_uppercase + string.digits, 16),
        lambda: _random(rng, an, 40),
    ]
    return rng.choice(makers)()


def recovery_key(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return "-".join(_random(rng, string.digits, 6) for _ in range(8))
    return "-".join(_random(rng, string.ascii_uppercase + string.digits, 5) for _ in range(5))


def connection_string(rng: random.Random) -> str:
    secret = password(rng, "en")
    return rng.choice(
        [
            f"Server=tcp:sql{rng.randint(1, 9)}.database.windows.net,1433;Initial Catalog=hr;"
            f"User ID=app;Password={secret};Encrypt=True;",
            f"Data Source=db01;Database=lonn;User Id=svc_lonn;Pwd={secret};",
            f"DefaultEndpointsProtocol=https;AccountName=contoso;AccountKey="
            f"{_random(rng, string.ascii_letters + string.digits + '+/', 86)}==;",
            f"postgresql://app:{secret}@db.contoso.local:5432/hr",
        ]
    )


# -- templates --------------------------------------------------------------------------
# {s} is the secret. Each template is written for this corpus; kind per group.

PASSWORD_TEMPLATES = {
    "en": [
        "my password is {s}",
        "My password is {s} and it doesn't work",
        "password: {s}",
        "pw {s}",
        "pwd={s}",
        "I typed {s} but it says wrong password",
        "tried {s} three times and now I'm locked out",
        "{s} is my password, is it too weak?",
        "the new one is {s} but Outlook won't take it",
        "I changed it to {s} yesterday",
        "IT gave me the temporary password {s} and it has expired",
        "my temp pw was {s}",
        "it used to be {s} before the reset",
        "I forgot my password, it was something like {s}",
        "new password - {s}",
        "Password {s} not accepted",
        "username kari.nordmann password {s}",
        "kari@contoso.no / {s}",
        "login: ola.hansen pass: {s}",
        "I'm using {s} as my password",
        "will my password be {s} after the reset?",
        "I'll set my password to {s}",
        "can I use {s} as a password?",
        "is {s} a strong enough password?",
        "my old password {s} still works on my phone",
        "I usually log in with {s}",
        "the password I got from IT is {s}",
        "I entered {s} on the sign-in page",
        "hi, {s} doesn't work anymore",
        "{s}",
        "Teams keeps rejecting {s} after I changed it",
        "my current pw is {s}, new will be something else",
        'password was "{s}"',
        "I use '{s}' everywhere",
        "my password: {s} - please help",
        "pass {s}",
        "my password is {s}.",
        "tried {s}, then {s}1, nothing works",
    ],
    "nb": [
        "passordet mitt er {s}",
        "Passordet mitt er {s} og det virker ikke",
        "passord: {s}",
        "pw {s}",
        "passord={s}",
        "jeg skrev {s} men det står feil passord",
        "prøvde {s} tre ganger og nå er jeg låst ute",
        "{s} er passordet mitt, er det for svakt?",
        "det nye er {s} men Outlook godtar det ikke",
        "jeg endret det til {s} i går",
        "IT ga meg det midlertidige passordet {s} og det har utløpt",
        "midlertidig pw var {s}",
        "det pleide å være {s} før tilbakestillingen",
        "jeg har glemt passordet, det var noe sånt som {s}",
        "nytt passord - {s}",
        "Passord {s} godtas ikke",
        "brukernavn kari.nordmann passord {s}",
        "kari@contoso.no / {s}",
        "bruker: ola.hansen pass: {s}",
        "jeg bruker {s} som passord",
        "blir passordet {s} etter tilbakestillingen?",
        "jeg setter passordet til {s}",
        "kan jeg bruke {s} som passord?",
        "er {s} et sterkt nok passord?",
        "det gamle passordet {s} virker fortsatt på mobilen",
        "jeg logger vanligvis inn med {s}",
        "passordet jeg fikk fra IT er {s}",
        "jeg tastet {s} på påloggingssiden",
        "hei, {s} virker ikke lenger",
        "{s}",
        "Teams avviser {s} etter at jeg byttet",
        "nåværende pw er {s}, det nye blir noe annet",
        "passordet var «{s}»",
        "jeg bruker '{s}' overalt",
        "passordet mitt: {s} - hjelp",
        "pass {s}",
        "passordet mitt er {s}.",
        "prøvde {s}, så {s}1, ingenting virker",
    ],
}
# A second pass, written separately: secrets with no cue word, before the cue, in
# futures and past tenses, abbreviations, lists.
PASSWORD_TEMPLATES_2 = {
    "en": [
        "Hi! I've been trying {s} all morning and I'm locked out now",
        "so {s} isn't accepted anymore?",
        "ok it was {s} and now it's not working",
        "Outlook rejects {s} since Monday",
        "Does {s} count as a strong one?",
        "I'll go with {s} from now on",
        "My laptop accepts {s} but Teams doesn't",
        "when I enter {s} it just spins",
        "typed {s} like 5 times",
        "{s} <- this is what I use",
        "I thought it was {s} but apparently not",
        "got a new one from the helpdesk: {s}",
        "IT set it to {s} for me",
        "the temporary one they sent was {s}",
        "new pwd {s}",
        "passwd {s}",
        "credentials: kari.nordmann / {s}",
        "ola@contoso.no {s}",
        "please reset, last one I remember is {s}",
        "it's {s}, I think",
        "before the reset it was {s} and I liked it",
        "I want to keep {s} if possible",
        "can I keep using {s}?",
        "{s} stopped working after the update",
        "my wife says I used {s} last time",
    ],
    "nb": [
        "Hei! Jeg har prøvd {s} hele morgenen og nå er jeg låst ute",
        "så {s} godtas ikke lenger?",
        "ok det var {s} og nå virker det ikke",
        "Outlook avviser {s} siden mandag",
        "Er {s} godt nok?",
        "jeg går for {s} fra nå av",
        "Laptopen godtar {s} men ikke Teams",
        "når jeg skriver {s} bare spinner den",
        "skrev {s} sånn 5 ganger",
        "{s} <- det er det jeg bruker",
        "jeg trodde det var {s} men visst ikke",
        "fikk et nytt fra brukerstøtte: {s}",
        "IT satte det til {s} for meg",
        "det midlertidige de sendte var {s}",
        "nytt pwd {s}",
        "passord {s}",
        "innlogging: kari.nordmann / {s}",
        "ola@contoso.no {s}",
        "tilbakestill, det siste jeg husker er {s}",
        "det er {s}, tror jeg",
        "før tilbakestillingen var det {s} og det likte jeg",
        "jeg vil beholde {s} om mulig",
        "kan jeg fortsette å bruke {s}?",
        "{s} sluttet å virke etter oppdateringen",
        "kona sier jeg brukte {s} sist",
    ],
}
BACKUP_CODE_TEMPLATES = {
    "en": [
        "my backup codes are {s}, 4821 9930 and 1177 2046",
        "backup code: {s}",
        "I used the recovery code {s} already",
    ],
    "nb": [
        "reservekodene mine er {s}, 4821 9930 og 1177 2046",
        "reservekode: {s}",
        "jeg har allerede brukt gjenopprettingskoden {s}",
    ],
}
PASSPHRASE_TEMPLATES = {
    "en": [
        'my passphrase is "{s}"',
        "password is '{s}'",
        'I use the phrase "{s}" as password',
        '"{s}" is my password',
        "my passphrase: {s}",
    ],
    "nb": [
        'passfrasen min er "{s}"',
        "passordet er «{s}»",
        'jeg bruker setningen "{s}" som passord',
        "«{s}» er passordet mitt",
        "passfrasen min: {s}",
    ],
}
CODE_TEMPLATES = {
    "en": [
        "the code from the SMS is {s}",
        "I got {s} in the authenticator app",
        "my verification code: {s}",
        "code {s} doesn't work",
        "one-time code {s}",
        "the SMS said {s} but it expired",
        "Authenticator shows {s}",
        "I typed the code {s}",
        "{s} is the code I got",
        "my MFA code is {s}",
    ],
    "nb": [
        "koden fra SMS-en er {s}",
        "jeg fikk {s} i authenticator-appen",
        "bekreftelseskoden min: {s}",
        "koden {s} virker ikke",
        "engangskode {s}",
        "SMS-en sa {s} men den gikk ut",
        "Authenticator viser {s}",
        "jeg tastet koden {s}",
        "{s} er koden jeg fikk",
        "MFA-koden min er {s}",
    ],
}
PIN_TEMPLATES = {
    "en": [
        "my PIN is {s}",
        "PIN: {s}",
        "I set the PIN to {s}",
        "Windows Hello PIN {s} is not accepted",
    ],
    "nb": [
        "PIN-koden min er {s}",
        "pin: {s}",
        "jeg satte PIN-koden til {s}",
        "Windows Hello PIN {s} godtas ikke",
    ],
}
TOKEN_TEMPLATES = {
    "en": [
        "here is the token {s}",
        "our client secret is {s}",
        "API key: {s}",
        "the bot uses {s}, is that a problem?",
        "{s}",
        "I pasted {s} into the config",
    ],
    "nb": [
        "her er tokenet {s}",
        "klienthemmeligheten vår er {s}",
        "API-nøkkel: {s}",
        "boten bruker {s}, er det et problem?",
        "{s}",
        "jeg limte {s} inn i oppsettet",
    ],
}
RECOVERY_TEMPLATES = {
    "en": [
        "my BitLocker recovery key is {s}",
        "recovery key: {s}",
        "the recovery code {s} was rejected",
        "here's the key {s}",
    ],
    "nb": [
        "BitLocker-gjenopprettingsnøkkelen min er {s}",
        "gjenopprettingsnøkkel: {s}",
        "gjenopprettingskoden {s} ble avvist",
        "her er nøkkelen {s}",
    ],
}
CONNECTION_TEMPLATES = {
    "en": ["our connection string is {s}", "{s}", "the app uses {s} - can you check?"],
    "nb": ["tilkoblingsstrengen er {s}", "{s}", "appen bruker {s} - kan dere sjekke?"],
}

HARMLESS = {
    "en": [
        "my password expired",
        "my password is expired",
        "my password is not working",
        "I forgot my password",
        "how do I change my password?",
        "the password must be 12 characters",
        "what are the password requirements?",
        "my password is wrong apparently",
        "status of {ref}",
        "any news on {ref}?",
        "I got error {err} when signing in",
        "error code {err} after I typed my password",
        "Outlook says {err}",
        "I'm on Windows 11 version {ver}",
        "I use {prod} on my laptop",
        "my phone is an {prod}",
        "call me on {phone}",
        "I'm in room {room} until {time}",
        "my meeting is at {time} on {date}",
        "my username is {user}",
        "my e-mail is {email}",
        "I can't sign in as {email}",
        "ticket {ticket} is still open",
        "the SMS code never arrived",
        "I didn't get a code",
        "the code expired after 30 seconds",
        "I need a new PIN",
        "my PIN is locked",
        "how long is a recovery key?",
        "where do I find my BitLocker recovery key?",
        "is the password case sensitive?",
        "my password was changed on {date}",
        "I changed my password yesterday and now Teams won't sign in",
        "the temporary password from IT doesn't work",
        "I'll set a new password tomorrow",
        "my password is the same as before",
        "can I use my old password again?",
        "my password has 14 characters and a number",
        "the password field is empty",
        "it says my password will expire in 3 days",
        "reset my password please",
        "I typed my password wrong 5 times",
        "I tried logging in again but nothing",
        "my colleague {user} is locked out",
        "I have a new laptop, {model}",
        "my employee number is {emp}",
        "the meeting room code is {room}",
        "the error was 0x80070005",
        "KB5034441 failed to install",
        "my order number {ticket}",
        "I used the password reset link",
        "I entered the wrong password",
        "thanks, that worked!",
        "ok",
        "what is my password?",
        "my password is secret, right?",
        "Case #INC-20931 is still open",
        "Intune Company Portal 5.0.6012.0 asks me to sign in",
        "Windows 11 Enterprise 24H2 on a Galaxy Book4",
        "I have a Galaxy S24+ and an iPad Air",
        "HP EliteBook 840 G10 and Lenovo T14s Gen 4",
        "I get 0x8018002b when enrolling",
        "Error 135011 on my laptop",
        "my number is 004791234567",
        "meet me at 10:45 in B2.045",
        "Can we meet 29/11 at 9am-5pm?",
        "{user}",
        "My login is {email}",
        "The tenant is contoso.onmicrosoft.com",
        "Is a passphrase safer than a password?",
        "It keeps saying wrong password even though I type it correctly",
        "The recovery key ID starts with 5F2A",
        "I need my BitLocker recovery key for laptop LT-0423",
        "Serial number PF3X7K2L",
        "Client ID is 1b730954-1685-4b74-9bfd-dac224a7b894",
        "I got AADSTS50126: Error validating credentials due to invalid username or password.",
        "The SMS code didn't arrive at +47 912 34 567",
        "Visit aka.ms/mfasetup",
        "I use a password manager called 1Password",
        "I got a text from 2222",
        "my colleague {user} typed the wrong password",
        "I changed it to something longer",
    ],
    "nb": [
        "passordet mitt har utløpt",
        "passordet mitt er utløpt",
        "passordet mitt virker ikke",
        "jeg har glemt passordet",
        "hvordan bytter jeg passord?",
        "passordet må ha 12 tegn",
        "hva er kravene til passord?",
        "passordet mitt er visst feil",
        "status på {ref}",
        "noe nytt om {ref}?",
        "jeg fikk feilen {err} da jeg logget inn",
        "feilkode {err} etter at jeg skrev passordet",
        "Outlook sier {err}",
        "jeg har Windows 11 versjon {ver}",
        "jeg bruker {prod} på laptopen",
        "telefonen min er en {prod}",
        "ring meg på {phone}",
        "jeg sitter i rom {room} til {time}",
        "møtet er kl {time} den {date}",
        "brukernavnet mitt er {user}",
        "e-posten min er {email}",
        "jeg får ikke logget inn som {email}",
        "saken {ticket} er fortsatt åpen",
        "SMS-koden kom aldri",
        "jeg fikk ingen kode",
        "koden gikk ut etter 30 sekunder",
        "jeg trenger ny PIN",
        "PIN-koden min er sperret",
        "hvor lang er en gjenopprettingsnøkkel?",
        "hvor finner jeg BitLocker-nøkkelen?",
        "skiller passordet mellom store og små bokstaver?",
        "passordet ble endret {date}",
        "jeg byttet passord i går og nå vil ikke Teams logge inn",
        "det midlertidige passordet fra IT virker ikke",
        "jeg setter nytt passord i morgen",
        "passordet mitt er det samme som før",
        "kan jeg bruke det gamle passordet igjen?",
        "passordet mitt har 14 tegn og et tall",
        "passordfeltet er tomt",
        "det står at passordet utløper om 3 dager",
        "tilbakestill passordet mitt",
        "jeg skrev feil passord 5 ganger",
        "jeg prøvde å logge inn igjen men ingenting",
        "kollegaen min {user} er låst ute",
        "jeg har ny laptop, {model}",
        "ansattnummeret mitt er {emp}",
        "koden til møterommet er {room}",
        "feilen var 0x80070005",
        "KB5034441 ble ikke installert",
        "ordrenummeret mitt {ticket}",
        "jeg brukte lenken for å tilbakestille passordet",
        "jeg skrev inn feil passord",
        "takk, det virket!",
        "ok",
        "hva er passordet mitt?",
        "passordet mitt er hemmelig, ikke sant?",
        "Jeg får feilkode 0x80070005 når jeg logger på",
        'Outlook sier "Passordet ditt er utløpt"',
        "Min bruker er {user}",
        "Passordet ble byttet i forrige uke",
        "Jeg sitter på møterom Fjord-2",
        "Nøkkel-ID-en er 4A3B2C1D",
        "Jeg meldte inn sak 45123 forrige uke",
        "Passordet er navnet på katten min",
        "Passordet mitt er bursdagen min",
        "Jeg logger inn med BankID",
        "Den heter CONTOSO-PC123",
        "Postnummer 0150 Oslo",
        "Adressen er Storgata 12B",
        "Prisen var 1 499,- kr",
        "Feilkoden er 80180014",
        'Det står "Feil brukernavn eller passord"',
        "Jeg har endret passordet mitt til noe nytt",
        "{user}",
        "kollegaen min {user} skrev feil passord",
        "jeg endret det til noe lengre",
        "møtet er 29/11 kl 9-15",
        "ring 004791234567",
    ],
}


# A third pass: whole messages with their secret, from the developer's own probes.
FIXED = [
    ("en", "password", "I'm pretty sure I set it to Hestehov88 last month", "Hestehov88"),
    ("en", "password", "the temp password you gave me (Xk7!pq2z) doesn't work", "Xk7!pq2z"),
    ("nb", "password", "passordet jeg fikk av IT var Velkommen123", "Velkommen123"),
    ("nb", "password", "fikk midlertidig passord: Tmp-4482-xq", "Tmp-4482-xq"),
    ("en", "password", "the new one will be snowflake77", "snowflake77"),
    ("nb", "password", "passordet mitt (sjokolade99) virker ikke", "sjokolade99"),
    ("en", "password", "username kari / pw Hemmelig1", "Hemmelig1"),
    (
        "en",
        "password",
        "my password is correct horse battery staple",
        "correct horse battery staple",
    ),
    ("nb", "password", "passordet mitt er blå bil 22", "blå bil 22"),
    ("en", "password", "Is my password Sunshine?", "Sunshine"),
    ("nb", "password", "jeg skrev sommerfugl og det gikk ikke", "sommerfugl"),
    ("en", "password", "Is it OK that mine is hunter2?", "hunter2"),
    ("nb", "password", "mitt er sommer88, er det for dårlig?", "sommer88"),
    ("en", "password", "my password is Sommer 2024", "Sommer 2024"),
    ("nb", "password", "passord: hemmelig", "hemmelig"),
    ("en", "password", "my password is only digits: 84736251", "84736251"),
    (
        "en",
        "password",
        "login: https://portal.contoso.com/login?user=kari&pw=Sommer2024",
        "Sommer2024",
    ),
    ("en", "password", "winter2023 was not accepted", "winter2023"),
    ("en", "password", "my password's hunter2", "hunter2"),
    ("nb", "password", "passordet er Kaffe-Kopp-77", "Kaffe-Kopp-77"),
    ("en", "one_time_code", "I got 482913 on my phone but it expired", "482913"),
    ("nb", "one_time_code", "jeg fikk 553920 på mobilen", "553920"),
    ("en", "one_time_code", "Your code: A7K2P9", "A7K2P9"),
    ("nb", "one_time_code", "autentiseringsappen viser 558 201", "558 201"),
    ("nb", "one_time_code", "skriv inn 558201 sa appen", "558201"),
    ("en", "pin", "My PIN for the laptop is the same as my bank card: 4711", "4711"),
    ("en", "pin", "my phone PIN is 1397", "1397"),
    ("nb", "pin", "PIN-koden min er visst 1985", "1985"),
]
FIXED_HARMLESS = [
    ("en", "Is my password history kept?"),
    ("en", "my password is case sensitive right"),
    ("en", "my password is longer than 12 characters"),
    ("nb", "passordet mitt er kjempekomplisert"),
    ("nb", "passordet mitt er bare tull nå"),
    ("nb", "Jeg skrev til dere 12.11 om PH-7K3QXA"),
    ("nb", "Innlogging med ola@firma.no feiler"),
    ("nb", "Kundenummer 300124"),
    ("en", "my employee number is 104233"),
    ("nb", "ansattnummeret mitt er 104233"),
    ("en", "my password aint working"),
    ("en", "password doesnt work lol"),
    ("nb", "status på ph-7k3qxa?"),
    ("en", "I get aadsts50126 when typing my password"),
    ("nb", "M365-lisensen min er utløpt"),
    ("nb", "min iPhone14Pro får ikke koden"),
    ("nb", "Teams2.0 krasjer"),
    ("en", "Login: kari"),
    ("nb", "Send koden til 98765432 i stedet"),
    ("en", "emp-10293"),
    ("en", "Can we meet 29/11 at 9am-5pm?"),
    ("nb", "Jeg logger inn som ola.nordmann2, men passordet virker ikke"),
    ("en", "What is the code for room 3-117?"),
    ("nb", "koden til møterom 3-117 virker ikke"),
    ("nb", "Passordet ble satt i 2021"),
    ("en", "The password is in my password manager"),
    ("en", "My password was auto-generated"),
    ("nb", "Jeg fikk kode 50076 på skjermen"),
    ("en", "I get error code 500121 in the Authenticator app"),
    ("en", "Sign-in error code: 50158"),
    ("en", "Hostname: osl-lt-0423"),
    ("nb", "VPN-profilen heter Contoso-VPN-2024"),
]


# -- a fourth pass (session 3) ------------------------------------------------------------
# New vocabularies and templates written from issue 10's categories after the second round:
# plain dictionary passwords with a cue before or after them, word plus year, digits after a
# cue, pairs, codes in a sentence; and many more harmless look-alikes drawn from their own
# generated vocabularies (references, versions, error codes, asset tags, names, compounds).

PLAIN_WORDS = {
    "en": [
        "lighthouse",
        "marmalade",
        "kingfisher",
        "wanderlust",
        "cinnamon",
        "gingerbread",
        "bluebell",
        "harbour",
        "meadow",
        "pinecone",
        "snowdrop",
        "tangerine",
        "velvet",
        "walrus",
        "avocado",
        "biscuit",
        "blizzard",
        "cactus",
        "daffodil",
        "emerald",
        "fireworks",
        "hazelnut",
        "jellyfish",
        "lavender",
        "mistletoe",
        "nutmeg",
        "octopus",
        "pumpkin",
        "quicksand",
        "raspberry",
        "saffron",
        "teapot",
        "umbrella",
        "volcano",
        "waffle",
        "yellowstone",
        "zeppelin",
        "moonlight",
        "starfish",
        "toffee",
    ],
    "nb": [
        "fyrlykt",
        "marmelade",
        "isfugl",
        "vandrelyst",
        "kanelbolle",
        "pepperkake",
        "blåklokke",
        "havn",
        "eng",
        "kongle",
        "snøklokke",
        "mandarin",
        "fløyel",
        "hvalross",
        "avokado",
        "kjeks",
        "snøstorm",
        "kaktus",
        "påskelilje",
        "smaragd",
        "fyrverkeri",
        "hasselnøtt",
        "manet",
        "lavendel",
        "misteltein",
        "muskat",
        "blekksprut",
        "gresskar",
        "kvikksand",
        "bringebær",
        "safran",
        "tekanne",
        "paraply",
        "vulkan",
        "vaffel",
        "måneskinn",
        "sjøstjerne",
        "karamell",
        "multe",
        "brunost",
        "fjellbekk",
        "nordlys",
        "ekornhale",
        "hjortetakk",
        "tyttebærsyltetøy",
    ],
}
FIRST_NAMES = [
    "Solveig",
    "Sondre",
    "Eirik",
    "Marit",
    "Håkon",
    "Tuva",
    "Sigrid",
    "Magnus",
    "Ingvild",
    "Torbjørn",
    "Oskar",
    "Live",
    "Mathias",
    "Hanne",
    "Aksel",
    "Jorunn",
    "Peter",
    "Sarah",
    "Michael",
    "Laura",
    "David",
    "Emily",
    "James",
    "Olivia",
]
LAST_NAMES = [
    "Haugland",
    "Bakke",
    "Solberg",
    "Lund",
    "Berg",
    "Dahl",
    "Strand",
    "Moen",
    "Nygård",
    "Aasen",
    "Eide",
    "Lie",
    "Johnson",
    "Miller",
    "Taylor",
    "Brown",
]
COMPOUNDS_NB = [
    "tofaktorautentiseringen",
    "innloggingssiden",
    "hjemmekontorordningen",
    "personalavdelingen",
    "Kristiansand-kontoret",
    "lønnssystemet",
    "passordbytteprosessen",
    "kontorstolen",
    "skriverkøen",
    "møteromsbookingen",
    "brukerstøtteportalen",
    "sikkerhetsopplæringen",
    "ferieavviklingen",
    "tilgangsstyringen",
    "mobilabonnementet",
    "nettverksskriveren",
]


def plain_password(rng: random.Random, language: str) -> str:
    """Passwords people choose that no shape rule finds: words, words and years, digits."""
    word = rng.choice(PLAIN_WORDS[language])
    other = rng.choice(PLAIN_WORDS[language])
    shapes: List[Callable[[], str]] = [
        lambda: word,
        lambda: word,
        lambda: word + other,
        lambda: word + str(rng.randint(1950, 2026)),
        lambda: word.capitalize() + str(rng.randint(1950, 2026)),
        lambda: word + str(rng.randint(10, 99)),
        lambda: "".join(rng.choice(string.digits) for _ in range(rng.randint(6, 10))),
        lambda: rng.choice(FIRST_NAMES) + str(rng.randint(1950, 2026)),
        lambda: word.capitalize() + rng.choice("!?#"),
    ]
    return rng.choice(shapes)()


PLAIN_PASSWORD_TEMPLATES = {
    "en": [
        "my password is {s}",
        "password: {s}",
        "pw = {s}",
        "the password is {s}",
        "{s} is my password",
        "{s} was my password until today",
        "I use {s} as my password",
        "my password has always been {s}",
        "the password I chose is {s}, is that too simple?",
        "I typed {s} as the password",
        "password for the VPN is {s}",
        "my new password will be {s}",
        "the password? it's {s}",
        "I tried the password {s} and nothing",
        "username jdoe password {s}",
        "my pw is {s} lol",
        "pass is {s} btw",
        'my password is "{s}"',
        "so the password I set was '{s}'",
        "I entered the password {s} like always",
        "the old password was {s}",
    ],
    "nb": [
        "passordet mitt er {s}",
        "passord: {s}",
        "pw = {s}",
        "passordet er {s}",
        "{s} er passordet mitt",
        "{s} var passordet mitt til i dag",
        "jeg bruker {s} som passord",
        "passordet mitt har alltid vært {s}",
        "passordet jeg valgte er {s}, er det for enkelt?",
        "jeg skrev {s} som passord",
        "passordet til VPN er {s}",
        "det nye passordet mitt blir {s}",
        "passordet? det er {s}",
        "jeg prøvde passordet {s} og ingenting",
        "brukernavn jdoe passord {s}",
        "pw-en min er {s} lol",
        "passet er {s} forresten",
        'passordet mitt er "{s}"',
        "så passordet jeg satte var '{s}'",
        "jeg skrev inn passordet {s} som vanlig",
        "det gamle passordet var {s}",
    ],
}
CUELESS_TEMPLATES = {
    "en": [
        "{s} stopped working this morning",
        "can you check why {s} gets rejected",
        "locked out after typing {s} a few times",
        "hmm, {s} no longer works",
        "Outlook on my phone still takes {s}",
        "I'm typing {s} exactly and it fails",
        "Why would Teams say wrong for {s}?",
        "this is what I have: {s}",
    ],
    "nb": [
        "{s} sluttet å virke i morges",
        "kan dere sjekke hvorfor {s} blir avvist",
        "låst ute etter å ha tastet {s} noen ganger",
        "hmm, {s} virker ikke lenger",
        "Outlook på mobilen tar fortsatt {s}",
        "jeg skriver {s} helt riktig og det feiler",
        "hvorfor sier Teams feil for {s}?",
        "dette har jeg: {s}",
    ],
}
PAIR_TEMPLATES = {
    "en": [
        "user: {u} pass: {s}",
        "username {u} password {s}",
        "{e} / {s}",
        "login {u} pw {s}",
        "email {e} password: {s}",
        "Username: {u} / Password: {s}",
        "{e} {s}",
        "my login is {e} and the password is {s}",
    ],
    "nb": [
        "bruker: {u} passord: {s}",
        "brukernavn {u} passord {s}",
        "{e} / {s}",
        "innlogging {u} pw {s}",
        "e-post {e} passord: {s}",
        "Brukernavn: {u} / Passord: {s}",
        "{e} {s}",
        "innloggingen min er {e} og passordet er {s}",
    ],
}
CODE_TEMPLATES_2 = {
    "en": [
        "the text says {s} but it doesn't work",
        "Authenticator gave me {s}",
        "I entered {s} from the SMS",
        "what do I do with {s}? it came by SMS",
        "the verification code is {s}",
        "code was {s}",
        "got {s} as the code but it failed",
    ],
    "nb": [
        "meldingen sier {s} men det virker ikke",
        "Authenticator ga meg {s}",
        "jeg skrev inn {s} fra SMS-en",
        "hva gjør jeg med {s}? den kom på SMS",
        "bekreftelseskoden er {s}",
        "koden var {s}",
        "fikk {s} som kode men det feilet",
    ],
}
PIN_TEMPLATES_2 = {
    "en": [
        "my new PIN {s} isn't accepted",
        "pin is {s} right now",
        "the laptop PIN I use is {s}",
        "Windows Hello PIN: {s}",
    ],
    "nb": [
        "den nye PIN-en {s} godtas ikke",
        "pinen er {s} nå",
        "PIN-en jeg bruker på laptopen er {s}",
        "Windows Hello PIN: {s}",
    ],
}


# Two passwords in one message: lists of what was tried, old and new.
LIST_TEMPLATES = {
    "en": [
        "I tried {a} and {b}, neither works",
        "old: {a} new: {b}",
        "first {a}, then {b}, and finally gave up",
        "was it {a} or {b}?",
        "the old password was {a}, the new one is {b}",
    ],
    "nb": [
        "jeg prøvde {a} og {b}, ingen av dem virker",
        "gammelt: {a} nytt: {b}",
        "først {a}, så {b}, og så ga jeg opp",
        "var det {a} eller {b}?",
        "det gamle passordet var {a}, det nye er {b}",
    ],
}


def _fillers_2(rng: random.Random) -> Dict[str, str]:
    digits, upper = string.digits, string.ascii_uppercase
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return {
        "ref": rng.choice(
            [
                f"INC{_random(rng, digits, 7)}",
                f"REQ-{_random(rng, digits, 4)}",
                f"SAK-{rng.randint(1, 99999)}",
                f"RITM{_random(rng, digits, 7)}",
                f"CHG{_random(rng, digits, 7)}",
                f"#{_random(rng, digits, 5)}",
                f"TASK{_random(rng, digits, 7)}",
                f"SR-{_random(rng, digits, 6)}",
            ]
        ),
        "ver": rng.choice(
            [
                "Windows 11 23H2",
                "Windows 10 22H2",
                f"v{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}",
                "Office 2019",
                "Office 2021",
                "macOS 14.6.1",
                f"iOS {rng.randint(15, 18)}.{rng.randint(0, 6)}",
                f"build {rng.randint(19041, 26100)}.{rng.randint(100, 4999)}",
                "Outlook 16.0.17928.20114",
                "Teams 2.1",
            ]
        ),
        "err": rng.choice(
            [
                f"0x8007{_random(rng, '0123456789ABCDEF', 4)}",
                f"AADSTS{rng.randint(50000, 700100)}",
                "0xCAA82EE2",
                "CAA2000B",
                f"0x{_random(rng, '0123456789abcdef', 8)}",
                f"error {rng.randint(1000, 9999)}",
                "HTTP 403",
                "80048823",
            ]
        ),
        "date": rng.choice(
            [
                f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(2023, 2026)}",
                f"{rng.randint(2023, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                f"{rng.randint(1, 28)}/{rng.randint(1, 12)}",
                f"{rng.randint(1, 28)}. november",
            ]
        ),
        "time": rng.choice(
            [
                f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
                f"kl. {rng.randint(7, 17)}",
                f"{rng.randint(7, 17)}.{rng.choice(['00', '15', '30', '45'])}",
                "9am",
            ]
        ),
        "phone": rng.choice(
            [
                f"+47 {rng.choice('49')}{_random(rng, digits, 2)} {_random(rng, digits, 2)} {_random(rng, digits, 3)}",
                f"{rng.choice('49')}{_random(rng, digits, 7)}",
                f"+1 (425) 555-{_random(rng, digits, 4)}",
            ]
        ),
        "room": rng.choice(
            [
                f"{rng.choice('ABCDEF')}{rng.randint(1, 9)}-{rng.randint(100, 499)}",
                f"{rng.randint(1, 9)}.{rng.randint(10, 99)}",
                f"U{rng.randint(1, 3)}-{rng.randint(1, 40)}",
            ]
        ),
        "asset": rng.choice(
            [
                f"NO-LT-{_random(rng, digits, 5)}",
                f"PC{_random(rng, digits, 6)}",
                f"LT-OSL-{_random(rng, digits, 4)}",
                f"5CG{_random(rng, digits, 4)}{_random(rng, upper, 3)}",
                f"CONTOSO-{_random(rng, digits, 4)}",
            ]
        ),
        "name": f"{first} {last}",
        "first": first,
        "user": rng.choice(
            [
                f"{first.lower()[:1]}{last.lower()}",
                f"{first.lower()}.{last.lower()}",
                f"{first.lower()[:2]}{rng.randint(1000, 9999)}",
            ]
        ),
        "email": f"{first.lower()}.{last.lower()}@{rng.choice(['contoso.com', 'fabrikam.no', 'firma.no'])}",
        "compound": rng.choice(COMPOUNDS_NB),
        "n": str(rng.randint(2, 20)),
    }


HARMLESS_4 = {
    "en": [
        "any update on {ref}?",
        "{ref} was closed but I'm still locked out",
        "I'm on {ver}",
        "I get {err} when I sign in",
        "{err} again after I typed the password",
        "it failed on {date} at {time}",
        "call me on {phone}",
        "I'm in {room} today",
        "{email}",
        "my username is {user}",
        "{user}",
        "asset tag {asset}",
        "laptop {asset} again",
        "Hi, {name} here from payroll",
        "this is {name}",
        "{first} said to contact you",
        "my password is not working",
        "my password is too short apparently",
        "my password is the one I set last week",
        "the code didn't come",
        "my PIN is blocked",
        "the password has to contain a symbol and a number",
        "password rules say {n} characters minimum",
        "I typed my password twice",
        "I tried {n} times then gave up",
        "I tried Edge instead of Chrome",
        "The SMS came from 2270 at {time}",
        "I tried logging in with {email}",
        "my password is expired since {date}",
        "my password was reset by {first}",
        "the code from the SMS is not accepted",
        "I got the code but it says invalid",
        "password reset request {ref} from {date}",
        "my password is written on a sticky note",
        "I entered my username and password and it spins",
        "the password I set is not accepted",
        "my password is what I use for my bank too",
        "the office door code changed on {date}",
        "can {first} reset my password?",
        "is {ref} about my password?",
        "the new password policy starts {date}",
        "my password will expire in {n} days",
        "I changed my password on {ver}",
        "what does {err} mean?",
        "my phone is {phone}",
        "the PIN pad in {room} is broken",
        "I'm working from home until {date}",
    ],
    "nb": [
        "noe nytt på {ref}?",
        "{ref} ble lukket men jeg er fortsatt låst ute",
        "jeg har {ver}",
        "jeg får {err} når jeg logger inn",
        "{err} igjen etter at jeg skrev passordet",
        "det feilet {date} kl {time}",
        "ring meg på {phone}",
        "jeg sitter på {room} i dag",
        "{email}",
        "brukernavnet mitt er {user}",
        "{user}",
        "utstyrsnummer {asset}",
        "laptop {asset} igjen",
        "Hei, det er {name} fra lønn",
        "dette er {name}",
        "{first} sa jeg skulle kontakte dere",
        "passordet mitt virker ikke",
        "passordet mitt er visst for kort",
        "passordet mitt er det jeg satte forrige uke",
        "koden kom ikke",
        "PIN-koden min er sperret",
        "passordet må inneholde et spesialtegn og et tall",
        "passordreglene sier minst {n} tegn",
        "jeg skrev passordet to ganger",
        "jeg prøvde {n} ganger og ga opp",
        "jeg prøvde Edge i stedet for Chrome",
        "SMS-en kom fra 2270 kl {time}",
        "jeg prøvde å logge inn med {email}",
        "passordet mitt har vært utløpt siden {date}",
        "passordet ble tilbakestilt av {first}",
        "koden fra SMS-en godtas ikke",
        "jeg fikk koden men det står ugyldig",
        "forespørsel om nytt passord {ref} fra {date}",
        "passordet mitt står på en lapp",
        "jeg skrev brukernavn og passord og den bare spinner",
        "passordet jeg satte godtas ikke",
        "passordet mitt er det samme som i banken",
        "dørkoden ble endret {date}",
        "kan {first} tilbakestille passordet mitt?",
        "gjelder {ref} passordet mitt?",
        "den nye passordpolicyen gjelder fra {date}",
        "passordet mitt utløper om {n} dager",
        "hva betyr {err}?",
        "mobilen min er {phone}",
        "{compound} virker ikke",
        "problemer med {compound} igjen",
        "jeg jobber hjemmefra til {date}",
        "PIN-tastaturet på {room} er ødelagt",
    ],
}


def _fillers(rng: random.Random) -> Dict[str, str]:
    return {
        "ref": f"PH-{_random(rng, string.ascii_uppercase + string.digits, 6)}",
        "err": rng.choice(
            [
                "AADSTS50126",
                "AADSTS50076",
                "AADSTS53003",
                "CAA70004",
                "0x8004de40",
                "80180014",
                "1001",
                "AADSTS700016",
            ]
        ),
        "ver": rng.choice(["22H2", "23H2", "10.0.22631", "16.0.17126", "v2.4.1"]),
        "prod": rng.choice(
            [
                "iPhone 15",
                "iPhone15",
                "Office365",
                "Windows11",
                "Galaxy S23",
                "Surface Pro 9",
                "M365",
                "MacBook Air",
            ]
        ),
        "phone": rng.choice(["+47 912 34 567", "91234567", "22 33 44 55", "+4798765432"]),
        "room": rng.choice(["B2-304", "A101", "3.14", "U1-045", "R4012"]),
        "time": rng.choice(["14:30", "09.15", "8am", "kl.14", "16:00"]),
        "date": rng.choice(["12.03.2025", "2025-03-12", "3/12/25", "12. mars", "March 12"]),
        "user": rng.choice(
            ["kari.nordmann", "ola.hansen", "jdoe", "kn1234", "ab12345", "emma_l", "per.olsen2"]
        ),
        "email": rng.choice(["kari@contoso.no", "ola.hansen@fabrikam.com", "jonas.b@uio.no"]),
        "ticket": rng.choice(["INC0012345", "REQ-2024-0012", "#48213", "SR12345678"]),
        "model": rng.choice(["ThinkPad T14", "EliteBook 840 G9", "Latitude 7440", "XPS 13"]),
        "emp": rng.choice(["104233", "E-5521", "A12345"]),
    }


def _secret_cases(groups, rng, language: str, per_template: int) -> List[Dict]:
    """One case per template and draw: (kind, templates, make) with ``{s}`` for the secret."""
    cases: List[Dict] = []
    for kind, templates, make in groups:
        for template in templates[language]:
            for _ in range(per_template):
                secret = make(rng, language)
                cases.append(
                    {
                        "text": template.replace("{s}", secret),
                        "language": language,
                        "kind": kind,
                        "secrets": [secret],
                    }
                )
    return cases


def _harmless_cases(templates, fill, rng, language: str, per_template: int) -> List[Dict]:
    """One harmless case per template and draw, its look-alikes from ``fill(rng)``."""
    return [
        {"text": template.format(**fill(rng)), "language": language, "kind": "none", "secrets": []}
        for template in templates
        for _ in range(per_template)
    ]


def generate(seed: int = 20261129, per_template: int = 2) -> List[Dict]:
    """Cases ``{text, language, kind, secrets}`` in the independent set's format."""
    rng = random.Random(seed)
    cases: List[Dict] = []
    groups = [
        ("password", PASSWORD_TEMPLATES, password),
        ("password", PASSWORD_TEMPLATES_2, password),
        ("password", PASSPHRASE_TEMPLATES, passphrase),
        ("recovery_key", BACKUP_CODE_TEMPLATES, lambda r, _: pin(r)[:4] + " " + pin(r)[:4]),
        ("one_time_code", CODE_TEMPLATES, lambda r, _: one_time_code(r)),
        ("pin", PIN_TEMPLATES, lambda r, _: pin(r)),
        ("token", TOKEN_TEMPLATES, lambda r, _: token(r)),
        ("recovery_key", RECOVERY_TEMPLATES, lambda r, _: recovery_key(r)),
        ("connection_string", CONNECTION_TEMPLATES, lambda r, _: connection_string(r)),
    ]
    for language in ("en", "nb"):
        cases += _secret_cases(groups, rng, language, per_template)
        cases += _harmless_cases(HARMLESS[language], _fillers, rng, language, per_template)
    cases += _fourth_pass(random.Random(seed + 4), per_template)
    cases += _fifth_pass(random.Random(seed + 5), per_template)
    cases += _sixth_pass(random.Random(seed + 6), per_template)
    cases += [
        {"text": text, "language": language, "kind": kind, "secrets": [secret]}
        for language, kind, text, secret in FIXED
    ]
    cases += [
        {"text": text, "language": language, "kind": "none", "secrets": []}
        for language, text in FIXED_HARMLESS
    ]
    return cases


def _fourth_pass(rng: random.Random, per_template: int) -> List[Dict]:
    """The fourth pass's cases, from their own random stream (the earlier passes keep theirs)."""
    cases: List[Dict] = []
    groups = [
        ("password", PLAIN_PASSWORD_TEMPLATES, plain_password),
        ("password", CUELESS_TEMPLATES, password),
        ("one_time_code", CODE_TEMPLATES_2, lambda r, _: one_time_code(r)),
        ("pin", PIN_TEMPLATES_2, lambda r, _: pin(r)),
    ]
    for language in ("en", "nb"):
        cases += _secret_cases(groups, rng, language, per_template)
        for template in PAIR_TEMPLATES[language]:
            for _ in range(per_template):
                fill = _fillers_2(rng)
                secret = rng.choice([password(rng, language), plain_password(rng, language)])
                text = template.replace("{u}", fill["user"]).replace("{e}", fill["email"])
                cases.append(
                    {
                        "text": text.replace("{s}", secret),
                        "language": language,
                        "kind": "password",
                        "secrets": [secret],
                    }
                )
        for template in LIST_TEMPLATES[language]:
            for _ in range(per_template):
                first = password(rng, language)
                second = rng.choice(
                    [first.swapcase(), first + str(rng.randint(1, 9)), password(rng, language)]
                )
                if second == first:
                    continue
                text = template.replace("{a}", first).replace("{b}", second)
                cases.append(
                    {
                        "text": text,
                        "language": language,
                        "kind": "password",
                        "secrets": [first, second],
                    }
                )
        cases += _harmless_cases(HARMLESS_4[language], _fillers_2, rng, language, per_template)
    return cases


# -- a fifth pass (session 4) -------------------------------------------------------------
# Templates for cues the earlier passes lacked: how the password is written said beside it
# ("all lowercase", "med små bokstaver"), a phrase between the noun and its value ("the
# password from the helpdesk was"), old/new as the subject ("forrige var"), a choice ("går
# for", "going with ... from now on"), quoted values something was set to, words ending in
# a number after a label, codes that "just came in"; and harmless look-alikes beside labels
# ("channel Finance2025"), reference numbers after "is", settings runs with no secret, places
# a password was typed into, phone numbers in two groups, dates written day/month. Its own
# random stream and its own vocabulary, so the earlier passes keep their values.

PLAIN_WORDS_5 = {
    "en": [
        "lanternfish",
        "copperkettle",
        "driftwood",
        "hazelnut",
        "nightjar",
        "quicksilver",
        "marshmallow",
        "bluebottle",
        "windmill",
        "sandcastle",
        "thistle",
        "juniper",
        "starling",
        "tugboat",
        "puddle",
        "saffron",
        "harpoon",
        "moorland",
        "gooseberry",
        "kingcup",
        "pebblebeach",
        "oakbarrel",
        "snowdrift",
        "teacup",
        "lamplight",
    ],
    "nb": [
        "lyktefisk",
        "kobberkjele",
        "drivved",
        "hasselnøtt",
        "nattravn",
        "kvikksølv",
        "skumfidus",
        "blåklokke",
        "vindmølle",
        "sandslott",
        "tistel",
        "einer",
        "stær",
        "slepebåt",
        "sølepytt",
        "safran",
        "harpun",
        "myrland",
        "stikkelsbær",
        "soleie",
        "steinstrand",
        "eikefat",
        "snøfonn",
        "tekopp",
        "lampelys",
    ],
}
PHRASE_WORDS_5 = {
    "en": [
        "rain",
        "over",
        "the",
        "old",
        "harbour",
        "quiet",
        "foxes",
        "run",
        "at",
        "noon",
        "seven",
        "green",
        "boats",
        "in",
        "my",
        "garden",
    ],
    "nb": [
        "regn",
        "over",
        "den",
        "gamle",
        "havna",
        "stille",
        "rever",
        "løper",
        "ved",
        "middag",
        "sju",
        "grønne",
        "båter",
        "i",
        "hagen",
        "min",
    ],
}


def plain_password_5(rng: random.Random, language: str) -> str:
    """Lowercase words and compounds, a word and a year, digits: the shapes with no rule."""
    word = rng.choice(PLAIN_WORDS_5[language])
    other = rng.choice(PLAIN_WORDS_5[language])
    shapes: List[Callable[[], str]] = [
        lambda: word,
        lambda: word + other,
        lambda: word + str(rng.randint(1960, 2026)),
        lambda: word.capitalize() + rng.choice(["!", "#", ".", "~", "@"]) + str(rng.randint(1, 99)),
        lambda: "".join(rng.choice(string.digits) for _ in range(rng.randint(7, 9))),
    ]
    return rng.choice(shapes)()


def quoted_phrase_5(rng: random.Random, language: str) -> str:
    words = rng.sample(PHRASE_WORDS_5[language], rng.randint(3, 4))
    if rng.random() < 0.4:
        words.append(str(rng.randint(1970, 2026)))
    phrase = " ".join(words)
    return phrase.capitalize() if rng.random() < 0.5 else phrase


FORM_TEMPLATES_5 = {
    "en": [
        "it's {s} all lowercase, I know that's weak",
        "mine is {s}, small letters only, no digits",
        "the password is in lowercase, {s}, nothing else",
        "password {s}, all in lower case",
        "so it was just {s} without any capitals",
    ],
    "nb": [
        "det er {s} med små bokstaver, jeg vet det er svakt",
        "mitt er {s}, bare små bokstaver, ingen tall",
        "passordet er med små bokstaver, {s}, ingenting annet",
        "passord {s}, alt med små bokstaver",
        "så det var bare {s} uten store bokstaver",
    ],
}
PHRASE_PREPOSITION_TEMPLATES_5 = {
    "en": [
        "the password from the service desk was {s}",
        "the password for the conference room screen is {s}",
        "the temporary password on the letter was {s}",
        "the password for my old laptop was {s}, if that helps",
    ],
    "nb": [
        "passordet fra servicedesken var {s}",
        "passordet til skjermen på møterommet er {s}",
        "det midlertidige passordet på brevet var {s}",
        "passordet til den gamle PC-en var {s}, hvis det hjelper",
    ],
}
OLD_NEW_TEMPLATES_5 = {
    "en": ["the old one was {s}, the new one won't save", "my previous one was {s}"],
    "nb": ["det gamle var {s}, det nye blir ikke lagret", "det forrige var {s}"],
}
CHOICE_TEMPLATES_5 = {
    "en": ["I'm going with {s} from now on", "I'll be using {s} from now on"],
    "nb": ["jeg går for {s} fra nå av", "jeg kommer til å bruke {s} heretter"],
}
QUOTED_TEMPLATES_5 = {
    "en": [
        "changed it to '{s}' this morning and Outlook keeps asking",
        'I typed "{s}" and got locked out',
        'it\'s "{s}" with spaces between the words',
    ],
    "nb": [
        "byttet det til «{s}» i morges og Outlook spør fortsatt",
        'jeg skrev inn "{s}" og ble låst ute',
        "det er «{s}» med mellomrom mellom ordene",
    ],
}
ARRIVAL_TEMPLATES_5 = {
    "en": ["{s} just came in, where do I type it", "{s} arrived a second ago"],
    "nb": ["{s} kom akkurat, hvor skriver jeg den", "{s} kom nettopp på SMS"],
}
HARMLESS_5 = {
    "en": [
        "the Teams channel {name}{year} has the announcement about passwords",
        "room {name}3 is free for the MFA session",
        "the case number they gave me is {long_ref}",
        "my phone number changed to {phone}, please update it",
        "I typed my password in the search box by accident",
        "call me on {uk_phone} when the code arrives",
        "the training is on {day_month}, is the password rule new?",
        "Server={host};Database={name};Trusted_Connection=True;",
        "my password is all lowercase, is that why it fails?",
        "does the passphrase need spaces or capitals?",
        "the password for my account is locked again",
        "the new one is working now, thanks",
    ],
    "nb": [
        "Teams-kanalen {name}{year} har beskjeden om passord",
        "møterommet {name}3 er ledig til MFA-kurset",
        "saksnummeret de ga meg er {long_ref}",
        "mobilnummeret mitt er endret til {phone}, oppdater det",
        "jeg skrev passordet i søkefeltet ved et uhell",
        "ring meg på {uk_phone} når koden kommer",
        "kurset er {day_month}, er passordregelen ny?",
        "Server={host};Database={name};Trusted_Connection=True;",
        "passordet mitt har bare små bokstaver, er det derfor det feiler?",
        "må passfrasen ha mellomrom eller store bokstaver?",
        "passordet til kontoen min er sperret igjen",
        "det nye virker nå, takk",
    ],
}


def _fillers_5(rng: random.Random) -> Dict[str, str]:
    digits = string.digits
    return {
        "name": rng.choice(["Finance", "Saturn", "Nordlys", "Apollo", "Fjellet", "Orion"]),
        "year": str(rng.randint(2020, 2027)),
        "long_ref": _random(rng, digits, rng.choice([12, 14, 16])),
        "phone": rng.choice(["48 21 77 09", "912 34 567", "+47 41234567", "97 65 43 21"]),
        "uk_phone": rng.choice(["07700 900456", "07911 123456", "0161 4960000"]),
        "day_month": f"{rng.randint(1, 28)}/{rng.randint(1, 12):02d}",
        "host": rng.choice(["sql01.contoso.local", "db7.firma.local", "tcp:srv-db02"]),
    }


def _fifth_pass(rng: random.Random, per_template: int) -> List[Dict]:
    """The fifth pass's cases, from their own random stream."""
    cases: List[Dict] = []
    groups = [
        ("password", FORM_TEMPLATES_5, plain_password_5),
        ("password", PHRASE_PREPOSITION_TEMPLATES_5, plain_password_5),
        ("password", OLD_NEW_TEMPLATES_5, plain_password_5),
        ("password", CHOICE_TEMPLATES_5, plain_password_5),
        ("password", QUOTED_TEMPLATES_5, quoted_phrase_5),
        ("one_time_code", ARRIVAL_TEMPLATES_5, lambda r, _: str(r.randint(100000, 999999))),
    ]
    for language in ("en", "nb"):
        cases += _secret_cases(groups, rng, language, per_template)
        cases += _harmless_cases(HARMLESS_5[language], _fillers_5, rng, language, per_template)
    return cases


# -- a sixth pass (session 4, second secrets helper) --------------------------------------
# Templates for the categories round 4's blind set showed (never its phrasings): a PIN noun
# with a phrase before its value, a second value after "the old one", a user name and then
# the password after "logged in with", title-case passphrases, "set it to N words:", "@" for
# a letter, "would X be okay as a password", a space described before a quoted value; and
# harmless look-alikes: typos of the password noun, the rules as a heading, names shown as,
# repository paths, a season and year naming an event, a game's password, year compounds,
# requests, a user name and a device. Its own random stream and vocabulary.

TITLE_WORDS_6 = {
    "en": [
        "Silver",
        "Rivers",
        "Quiet",
        "Orange",
        "Falcons",
        "Meadow",
        "Harbour",
        "Winter",
        "Copper",
        "Lanterns",
        "Seven",
        "Purple",
        "Autumn",
        "Stones",
        "Northern",
        "Gulls",
    ],
    "nb": [
        "Sølv",
        "Elver",
        "Stille",
        "Oransje",
        "Falker",
        "Eng",
        "Havn",
        "Vinter",
        "Kobber",
        "Lykter",
        "Sju",
        "Lilla",
        "Høst",
        "Steiner",
        "Nordlige",
        "Måker",
        "På",
        "Over",
    ],
}
PLAIN_WORDS_6 = {
    "en": ["otter", "bramble", "kestrel", "walnut", "pebble", "saltmarsh", "nettle", "cobalt"],
    "nb": ["oter", "bjørnebær", "tårnfalk", "valnøtt", "småstein", "brennesle", "kobolt", "måke"],
}
DEVICES_6 = {
    "en": [
        "the work phone",
        "my tablet",
        "the door badge at the warehouse",
        "the spare laptop",
        "my company iPhone",
        "the card reader in reception",
    ],
    "nb": [
        "jobbtelefonen",
        "nettbrettet mitt",
        "adgangskortet på lageret",
        "reserve-PC-en",
        "jobb-iPhonen min",
        "kortleseren i resepsjonen",
    ],
}


def word_digits_6(rng: random.Random, language: str) -> str:
    word = rng.choice(PLAIN_WORDS_6[language])
    return rng.choice([word, word.capitalize()]) + str(rng.randint(2, 9999))


def title_phrase_6(rng: random.Random, language: str) -> str:
    words = rng.sample(TITLE_WORDS_6[language], rng.randint(3, 5))
    while words[0] in ("På", "Over"):
        words = words[1:] + words[:1]
    if rng.random() < 0.5:
        words.append(str(rng.randint(1, 99)))
    return " ".join(words)


def leet_at_6(rng: random.Random, language: str) -> str:
    word = rng.choice(PLAIN_WORDS_6[language])
    place = rng.choice(["Oslo", "Bergen", "Tromsø", "Leeds", "Hamar", "Cork"])
    vowel = next((k for k, ch in enumerate(word) if k and ch in "aeiouyæøå"), 1)
    at = word[:vowel] + "@" + word[vowel + 1 :]  # a vowel written as "@"
    return f"{at}{rng.randint(1, 99)}.{place}"


def spaced_value_6(rng: random.Random, language: str) -> str:
    return f"{rng.choice(PLAIN_WORDS_6[language]).capitalize()} {rng.randint(10, 99)}"


def words_phrase_6(rng: random.Random, language: str) -> str:
    return " ".join(rng.sample(PLAIN_WORDS_6[language], 3))


PIN_PHRASE_TEMPLATES_6 = {
    "en": [
        "the PIN for {device} is {s}",
        "PIN on {device}: {s}",
        "the SIM PIN for {device} was {s}",
    ],
    "nb": [
        "PIN-koden til {device} er {s}",
        "PIN på {device}: {s}",
        "SIM-PIN-en til {device} var {s}",
    ],
}
PAIR_TEMPLATES_6 = {
    "en": ["signed in with kari.hansen and {s} but it says denied", "I log in as tberg with {s}"],
    "nb": [
        "logget på med ola.nordmann og {s}, men det står avvist",
        "jeg logger inn som kjohansen med {s}",
    ],
}
TITLE_TEMPLATES_6 = {
    "en": ["my new password will be {s}", "the passphrase is {s}, is that long enough?"],
    "nb": ["det nye passordet mitt blir {s}", "passfrasen er {s}, er den lang nok?"],
}
WORDS_TEMPLATES_6 = {
    "en": ["I set it to three words: {s}", "made mine three words this time: {s}"],
    "nb": ["jeg satte det til tre ord: {s}", "gjorde mitt til tre ord denne gangen: {s}"],
}
LEET_TEMPLATES_6 = {
    "en": ["entered {s} and it failed again", "I use {s} everywhere"],
    "nb": ["skrev {s} og det feilet igjen", "jeg bruker {s} overalt"],
}
REVERSE_DIGITS_TEMPLATES_6 = {
    "en": ["would {s} be okay as a password?", "does {s} work as a password for Teams?"],
    "nb": ["kan {s} være greit som passord?", "holder {s} som passord til Teams?"],
}
SPACED_TEMPLATES_6 = {
    "en": ["I put a space right in the middle of mine, '{s}', allowed?"],
    "nb": ["jeg har et mellomrom midt i mitt, '{s}', er det lov?"],
}
SECOND_VALUE_TEMPLATES_6 = {
    "en": [
        "changed my PIN to {s} but it still wants the old one {t}",
        "new PIN {s} is refused, it asks for the previous one, {t}",
    ],
    "nb": [
        "byttet PIN til {s}, men den vil fortsatt ha den gamle {t}",
        "ny PIN {s} avvises, den spør etter den forrige, {t}",
    ],
}
HARMLESS_6 = {
    "en": [
        "{typo_en} is expired again, help",
        "Password rules: at least {n} characters and no reuse of the last {m}",
        "my display name shows as {name}{d} in Teams, can it change?",
        "please give me access to {org}/{repo}",
        "{season}{year} kickoff slides are on SharePoint",
        "the password for the {game} tonight is {word}",
        "logged in with {user} and the authenticator app, fine now",
        "the PIN for the printer is on the sticker",
        "my old laptop is a {year} model, still in the drawer",
        "My Password Has Expired Again",
    ],
    "nb": [
        "{typo_nb} er utløpt igjen, hjelp",
        "Passordreglene: minst {n} tegn og ingen gjenbruk av de {m} siste",
        "visningsnavnet mitt vises som {name}{d} i Teams, kan det endres?",
        "gi meg tilgang til {org}/{repo}",
        "{season_nb}{year} kickoff-lysbildene ligger på SharePoint",
        "passordet til {game_nb} i kveld er {word_nb}",
        "logget inn med {user} og autentiseringsappen, alt i orden nå",
        "PIN-koden til skriveren står på klistremerket",
        "den gamle PC-en er en {year}-modell, den ligger i skuffen",
        "gi meg skrivetilgang til fellesmappen",
        "Passordet Mitt Har Gått Ut Igjen",
    ],
}


def _typo(rng: random.Random, word: str) -> str:
    k = rng.randint(3, len(word) - 2)
    return word[:k] + word[k + 1] + word[k] + word[k + 2 :]


def _fillers_6(rng: random.Random) -> Dict[str, str]:
    return {
        "typo_en": _typo(rng, rng.choice(["password", "Password"])),
        "typo_nb": _typo(rng, rng.choice(["passordet", "Passordet"])),
        "n": str(rng.randint(8, 16)),
        "m": str(rng.randint(3, 24)),
        "name": rng.choice(["NightOwl", "Berg", "KariH", "Fjellrev", "CaptainQ"]),
        "d": str(rng.randint(1, 99)),
        "org": rng.choice(["contoso", "fabrikam", "firma", "nordlys"]),
        "repo": rng.choice(["hr-portal", "payroll-api", "faktura-tjeneste", "vpn-gateway"]),
        "season": rng.choice(["Summer", "Winter", "Spring", "Autumn"]),
        "season_nb": rng.choice(["Sommer", "Vinter", "Vår", "Høst"]),
        "year": str(rng.randint(2019, 2027)),
        "game": rng.choice(["quiz", "treasure hunt", "escape room game", "crossword"]),
        "game_nb": rng.choice(["quizen", "skattejakten", "rebusløpet", "kryssordet"]),
        "word": rng.choice(["giraffe", "lighthouse", "pineapple", "mermaid"]),
        "word_nb": rng.choice(["sjiraff", "fyrtårn", "ananas", "havfrue"]),
        "user": rng.choice(["kari.hansen", "ola.nordmann", "per@firma.no", "t.berg"]),
    }


def _sixth_pass(rng: random.Random, per_template: int) -> List[Dict]:
    """The sixth pass's cases, from their own random stream."""
    cases: List[Dict] = []

    def pin_6(r: random.Random, _: str) -> str:
        return str(r.randint(1000, 999999))

    def digits_6(r: random.Random, _: str) -> str:
        return str(r.randint(10000000, 99999999))

    groups = [
        ("password", PAIR_TEMPLATES_6, word_digits_6),
        ("password", TITLE_TEMPLATES_6, title_phrase_6),
        ("password", WORDS_TEMPLATES_6, words_phrase_6),
        ("password", LEET_TEMPLATES_6, leet_at_6),
        ("password", REVERSE_DIGITS_TEMPLATES_6, digits_6),
        ("password", SPACED_TEMPLATES_6, spaced_value_6),
    ]
    for language in ("en", "nb"):
        cases += _secret_cases(groups, rng, language, per_template)
        for template in PIN_PHRASE_TEMPLATES_6[language]:
            for _ in range(per_template):
                secret = pin_6(rng, language)
                text = template.replace("{device}", rng.choice(DEVICES_6[language]))
                cases.append(
                    {
                        "text": text.replace("{s}", secret),
                        "language": language,
                        "kind": "pin",
                        "secrets": [secret],
                    }
                )
        for template in SECOND_VALUE_TEMPLATES_6[language]:
            for _ in range(per_template):
                first, second = str(rng.randint(100000, 999999)), str(rng.randint(100000, 999999))
                text = template.replace("{s}", first).replace("{t}", second)
                cases.append(
                    {"text": text, "language": language, "kind": "pin", "secrets": [first, second]}
                )
        cases += _harmless_cases(HARMLESS_6[language], _fillers_6, rng, language, per_template)
    return cases
