"""Which language a message is written in, from its script and a few common words: enough to
route it to a coordinator who reads it, never a claim about the sender."""

import re

# Unicode blocks of the scripts the public pages are offered in.
_SCRIPTS = (
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
    ("km", re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]")),
    ("my", re.compile(r"[\u1000-\u109f\uaa60-\uaa7f]")),
    ("zh-hans", re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")),
)
# Letters only Vietnamese uses among the Latin-script languages here.
_VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)
_INDONESIAN = frozenset(
    [
        "saya",
        "tolong",
        "kami",
        "dia",
        "tidak",
        "dan",
        "yang",
        "di",
        "ke",
        "dari",
        "ini",
        "itu",
        "ada",
        "sudah",
        "bisa",
        "minta",
        "kerja",
        "dipukul",
        "paspor",
        "disekap",
        "uang",
        "bantu",
        "anak",
        "kakak",
        "adik",
    ]
)
_ENGLISH = frozenset(
    [
        "i",
        "my",
        "me",
        "help",
        "please",
        "we",
        "he",
        "she",
        "they",
        "is",
        "are",
        "was",
        "the",
        "and",
        "not",
        "of",
        "to",
        "in",
        "passport",
        "beaten",
        "locked",
        "money",
        "work",
    ]
)


def detect_language(text: str) -> str:
    """A LANGUAGES code for ``text``, or "" when there is too little to tell."""
    counts = {code: len(pattern.findall(text)) for code, pattern in _SCRIPTS}
    code, count = max(counts.items(), key=lambda item: item[1])
    if count >= 2:
        return code
    if len(_VIETNAMESE.findall(text)) >= 2:
        return "vi"
    words = re.findall(r"[a-z]+", text.lower())
    indonesian = sum(word in _INDONESIAN for word in words)
    english = sum(word in _ENGLISH for word in words)
    if indonesian > english:
        return "id"
    if english:
        return "en"
    return ""
