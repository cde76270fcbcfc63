"""Languages by their English names, from the BCP 47 tags a contact point lists.

The names are written out here (ISO 639 codes a service desk is likely to offer),
not looked up over a network or in the process's locale, so every machine writes the
same page. A region or script that is known is named after the language; a tag whose
language is not in the table is shown as given.

>>> names(["en", "es"]), names(["tlh", "EN", "en"])
(['English', 'Spanish'], ['tlh', 'English'])
>>> names(["pt-BR", "zh-Hant", "en-GB"])
['Portuguese (Brazil)', 'Chinese (Traditional)', 'English (United Kingdom)']
"""

from __future__ import annotations

from collections.abc import Iterable

LANGUAGES = {
    "af": "Afrikaans", "am": "Amharic", "ar": "Arabic", "az": "Azerbaijani",
    "be": "Belarusian", "bg": "Bulgarian", "bn": "Bengali", "bs": "Bosnian",
    "ca": "Catalan", "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German",
    "el": "Greek", "en": "English", "eo": "Esperanto", "es": "Spanish", "et": "Estonian",
    "eu": "Basque", "fa": "Persian", "fi": "Finnish", "fil": "Filipino", "fr": "French",
    "ga": "Irish", "gd": "Scottish Gaelic", "gl": "Galician", "gu": "Gujarati",
    "ha": "Hausa", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian",
    "hy": "Armenian", "id": "Indonesian", "ig": "Igbo", "is": "Icelandic", "it": "Italian",
    "ja": "Japanese", "ka": "Georgian", "kk": "Kazakh", "km": "Khmer", "kn": "Kannada",
    "ko": "Korean", "ku": "Kurdish", "ky": "Kyrgyz", "lb": "Luxembourgish", "lo": "Lao",
    "lt": "Lithuanian", "lv": "Latvian", "mi": "Maori", "mk": "Macedonian",
    "ml": "Malayalam", "mn": "Mongolian", "mr": "Marathi", "ms": "Malay", "mt": "Maltese",
    "my": "Burmese", "nb": "Norwegian Bokmål", "ne": "Nepali", "nl": "Dutch",
    "nn": "Norwegian Nynorsk", "no": "Norwegian", "pa": "Punjabi", "pl": "Polish",
    "ps": "Pashto", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian",
    "si": "Sinhala", "sk": "Slovak", "sl": "Slovenian", "so": "Somali", "sq": "Albanian",
    "sr": "Serbian", "sv": "Swedish", "sw": "Swahili", "ta": "Tamil", "te": "Telugu",
    "th": "Thai", "ti": "Tigrinya", "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian",
    "ur": "Urdu", "uz": "Uzbek", "vi": "Vietnamese", "xh": "Xhosa", "yi": "Yiddish",
    "yo": "Yoruba", "yue": "Cantonese", "zh": "Chinese", "zu": "Zulu",
    "ase": "American Sign Language", "bfi": "British Sign Language",
    "asf": "Australian Sign Language", "fsl": "French Sign Language",
    "gsg": "German Sign Language", "isg": "Irish Sign Language",
}  # fmt: skip
SUBTAGS = {
    "hans": "Simplified", "hant": "Traditional", "latn": "Latin", "cyrl": "Cyrillic",
    "gb": "United Kingdom", "us": "United States", "ie": "Ireland", "au": "Australia",
    "ca": "Canada", "nz": "New Zealand", "in": "India", "za": "South Africa",
    "br": "Brazil", "pt": "Portugal", "es": "Spain", "mx": "Mexico", "419": "Latin America",
    "fr": "France", "be": "Belgium", "ch": "Switzerland", "de": "Germany", "at": "Austria",
    "cn": "China", "tw": "Taiwan", "hk": "Hong Kong", "sg": "Singapore",
}  # fmt: skip


def name(tag: str) -> str:
    """The English name of a BCP 47 tag: ``en`` is ``English``, ``pt-BR`` ``Portuguese
    (Brazil)``; a tag whose language is unknown is returned as given."""
    primary, *rest = tag.strip().replace("_", "-").split("-")
    language = LANGUAGES.get(primary.lower())
    if language is None:
        return tag
    known = [SUBTAGS[part.lower()] for part in rest if part.lower() in SUBTAGS]
    return f"{language} ({', '.join(known)})" if known else language


def names(tags: Iterable[str]) -> list[str]:
    """Each tag's name, in order, each name once (``en`` and ``EN`` are one English)."""
    return list(dict.fromkeys(name(tag) for tag in tags))
