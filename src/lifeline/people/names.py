"""Names across scripts: romanisation, search tokens and phonetic keys.

Personal data is encrypted at rest, so name search works on keyed hashes of plaintext *tokens*.
Every stored name is turned into a set of normalised, romanised ASCII tokens (``name_tokens``);
a query is turned into one set of alternatives per part (``query_tokens``); a person matches when
every query part has at least one alternative among the person's tokens. Only equality is
possible on hashed tokens, so "similar" names must meet in a shared token: spelling variants
(Wade-Giles, Cantonese, Hokkien, Thai passport forms, ü as lv/lyu/lu) and a coarse phonetic key
per token.

Tokens are namespaced by where they come from:

- ``zhang``, ``k:jang``: a name written in Latin script, and its phonetic key;
- ``n:zhang``: native script romanised in its own system (pinyin, royin, Burmese rules);
- ``v:cheung``: another spelling of native script (Wade-Giles, Cantonese, passport forms);
- ``nk:jeung``: the phonetic key of an ``n:`` or ``v:`` token.

A Latin query reaches all of them; a native-script query reaches native-script names only
through ``n:`` tokens (typed in Chinese, 王 must not find 黄 although both are "Wong" in
Cantonese) and Latin-script names through any spelling or key.

Pure Python (no Django) so it can be tested and benchmarked on its own. See
shared/DATA-STANDARDS.md, "Names across scripts", for the measurements behind these choices.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Iterable
from functools import lru_cache
from itertools import pairwise

from anyascii import anyascii

__all__ = [
    "MAX_NAME_LENGTH",
    "detect_script",
    "name_tokens",
    "normalise_latin",
    "phonetic_key",
    "query_tokens",
    "romanise",
]

MAX_NAME_LENGTH = 200
KEY_PREFIX = "k:"  # phonetic key of a token written in Latin script
NATIVE_PREFIX = "n:"  # romanisation of native script in its own system (pinyin, royin...)
VARIANT_PREFIX = "v:"  # other spelling of native script (Wade-Giles, Cantonese, passport...)
NATIVE_KEY_PREFIX = "nk:"  # phonetic key of an n: or v: token

_CACHE = 65536  # entries per lookup cache: name parts repeat a lot across 200k people


def _check(text: object) -> str:
    if not isinstance(text, str):
        raise TypeError(f"name must be a string, not {type(text).__name__}")
    if len(text) > MAX_NAME_LENGTH:
        raise ValueError("name is too long")
    return text


# --------------------------------------------------------------------------------------------
# Scripts
# --------------------------------------------------------------------------------------------

_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0E00, 0x0E7F, "thai"),
    (0x1000, 0x109F, "myanmar"),
    (0xA9E0, 0xA9FF, "myanmar"),
    (0xAA60, 0xAA7F, "myanmar"),
    (0x1780, 0x17FF, "khmer"),
    (0x19E0, 0x19FF, "khmer"),
    (0x3400, 0x4DBF, "han"),
    (0x4E00, 0x9FFF, "han"),
    (0xF900, 0xFAFF, "han"),
    (0x20000, 0x3134F, "han"),
    (0x3005, 0x3007, "han"),  # 々 〆 〇
    (0x0041, 0x005A, "latin"),
    (0x0061, 0x007A, "latin"),
    (0x00C0, 0x024F, "latin"),
    (0x1E00, 0x1EFF, "latin"),  # Latin Extended Additional (Vietnamese)
    (0xFF21, 0xFF3A, "latin"),  # full-width
    (0xFF41, 0xFF5A, "latin"),
)


@lru_cache(maxsize=4096)
def _char_script(ch: str) -> str:
    """Script of one character; "" for marks, digits, separators (they join the previous run)."""
    cp = ord(ch)
    for lo, hi, script in _RANGES:
        if lo <= cp <= hi:
            if script in ("thai", "myanmar", "khmer") and not ch.isalnum() and not _is_mark(ch):
                return "sep"  # ฯ ๆ ၊ ။ ។ and friends
            return script
    cat = unicodedata.category(ch)
    if cat[0] == "L":
        return "other"
    if cat[0] in "MN":
        return ""
    return "sep"


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch)[0] == "M"


def detect_script(text: str) -> str:
    """Dominant script of ``text``: "han", "thai", "myanmar", "khmer", "latin" or "other"."""
    _check(text)
    counts: dict[str, int] = {}
    for ch in text:
        script = _char_script(ch)
        if script and script != "sep":
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return "other"
    return max(counts, key=counts.__getitem__)  # ties: the script seen first


# --------------------------------------------------------------------------------------------
# Latin
# --------------------------------------------------------------------------------------------

_WS_RE = re.compile(r"\s+")
_NON_ALNUM_RE = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = "'\u2019\u2018\u02bc\u02bb`\u00b4\u2032"
_APOS_RE = re.compile(f"[{_APOSTROPHES}]")


def normalise_latin(text: str) -> str:
    """NFKC, casefold, strip diacritics to ASCII, collapse whitespace."""
    _check(text)
    return _normalise_latin(text)


@lru_cache(maxsize=_CACHE)
def _normalise_latin(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    if not folded.isascii():
        folded = anyascii(folded).lower()
    return _WS_RE.sub(" ", folded).strip()


def _clean(text: str) -> str:
    return _NON_ALNUM_RE.sub("", text)


# --------------------------------------------------------------------------------------------
# Phonetic key
# --------------------------------------------------------------------------------------------

# Ordered rewrites. Aim: transliterations of one sound collide (royin "chaidi" and passport
# "jaidee"; "somchai"/"somchay"; Burmese "Htun"/"Tun", "Oo"/"U", "Zar"/"Za"; Indonesian old
# spelling "Soekarno"/"Sukarno", "Djoko"/"Joko"), while different names stay apart ("zhang" is
# "jang", "wang" stays "wang"; "somchai" is "somjai", "somsak" stays "somsak").
_KEY_RULES: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
    (trigger, re.compile(pattern), repl)  # a rule only runs when its trigger is in the token
    for trigger, pattern, repl in (
        ("sch", r"sch", "s"),
        ("tch", r"tch", "j"),
        ("dj", r"dj", "j"),
        ("tj", r"tj", "c"),
        ("h", r"zh|ch|jh", "j"),
        ("h", r"sh|hs", "s"),
        ("h", r"ph", "p"),
        ("h", r"th", "t"),
        ("h", r"kh", "k"),
        ("h", r"gh", "g"),
        ("h", r"bh", "b"),
        ("h", r"dh", "d"),
        ("t", r"ts|tz", "z"),
        ("x", r"x", "s"),
        ("q", r"q(?=i)", "j"),
        ("q", r"qu", "kw"),
        ("q", r"q", "k"),
        ("ck", r"ck", "k"),
        ("v", r"v", "w"),
        ("y", r"(?<=[aeiou])y(?![aeiou])", "i"),
        ("h", r"^h(?=[^aeiouy])", ""),
        ("ee", r"ee", "i"),
        ("oo", r"oo", "u"),
        ("oe", r"oe(?=[^aeiouy])", "u"),
        ("ae", r"ae", "e"),
        ("h", r"(?<=[aeiou])h(?![aeiou])", ""),
        ("r", r"(?<=[aeiou])r(?![aeiouy])", ""),
        ("", r"(.)\1+", r"\1"),
    )
)


def phonetic_key(token: str) -> str:
    """A deliberately coarse key so that transliteration variants of one name collide."""
    _check(token)
    return _phonetic_key(token)


@lru_cache(maxsize=_CACHE * 4)
def _phonetic_key(token: str) -> str:
    s = _clean(_normalise_latin(token))
    for trigger, pattern, repl in _KEY_RULES:
        if trigger in s:
            s = pattern.sub(repl, s)
    return s


# --------------------------------------------------------------------------------------------
# Chinese
# --------------------------------------------------------------------------------------------

# Surnames: "<forms> <pinyin> <variants>". Forms are the simplified/traditional characters
# (compound surnames are two characters). The pinyin is the *surname* reading (曾 is Zeng, not
# the default ceng); ü is written v. Variants are Cantonese (Hong Kong), Hokkien/Teochew/Hakka
# (Malaysia, Singapore, Indonesia, Philippines) and other passport spellings in common use.
# Wade-Giles and the ü forms are generated, so they need not be listed.
_SURNAME_DATA = """
张/張 zhang cheung cheong chong teo teoh tiong
王 wang wong ong heng
李 li lee lei ly lie
刘/劉 liu lau lao liew low lew
陈/陳 chen chan tan chin ting
杨/楊 yang yeung yeo yong young ieong
黄/黃 huang wong ng wee ooi oei hwang
赵/趙 zhao chiu chew chio
吴/吳 wu ng goh woo ngo go gouw
周 zhou chow chau chew
徐 xu tsui chui chee
孙/孫 sun suen soon sng
马/馬 ma mah beh
朱 zhu chu choo chue
胡 hu wu woo oh
郭 guo kwok kok quek koay kuok
何 he ho hoh hor hoe
高 gao ko koh kou
林 lin lam lim lum liem
罗/羅 luo lo law loh lor
郑/鄭 zheng cheng tay teh tee
梁 liang leung leong neo nio
谢/謝 xie tse che chia seah sia cheah
宋 song sung soong
唐 tang tong tng
许/許 xu hui koh kho khor
韩/韓 han hon
冯/馮 feng fung fong pang phang
邓/鄧 deng tang teng
曹 cao cho tso chaw chor
彭 peng pang phang
曾 zeng tsang chang chan
萧/蕭/肖 xiao siu seow siew siaw
田 tian tin
董 dong tung
袁 yuan yuen woon
潘 pan poon pun phua phoa
蔡 cai choi choy tsoi chua chuah chai
蒋/蔣 jiang cheung tseung
余 yu yee yue ee
杜 du to tou toh
叶/葉 ye yip ip yap yeap
程 cheng ching
苏/蘇 su so soh soo
魏 wei ngai gwee ngui
吕/呂 lv lui loo lue
丁 ding ting teng
任 ren yam yum
沈 shen sum shum sim
姚 yao yiu yew
卢/盧 lu lo lou loo lor
姜 jiang keung kiang kang
崔 cui tsui chui choi
钟/鍾/鐘 zhong chung chong cheong
谭/譚 tan tam tham
陆/陸 lu luk lok look
汪 wang wong ong
范 fan faan huan
金 jin kam kim gum
石 shi shek sek seck
廖 liao liu leow liew liaw
贾/賈 jia ka kah
夏 xia ha har
韦/韋 wei wai
傅 fu foo fou poh
方 fang fong hong png
白 bai pak peh
邹/鄒 zou chau chow chew
孟 meng mang beng
熊 xiong hung him hiong
秦 qin chun chin tsun
邱/丘 qiu yau chiu khoo khu hiew
江 jiang kong kang
尹 yin wan wun yoon
薛 xue sit seet
阎/閻/闫 yan yim
段 duan tuen
雷 lei lui loi looi
侯 hou hau how
龙/龍 long lung loong
史 shi sze see
陶 tao to tou toh
黎 li lai lay
贺/賀 he ho hoh
顾/顧 gu koo ku
毛 mao mo mou moh
郝 hao kok hok
龚/龔 gong kung kong
邵 shao shiu sio siew
万/萬 wan man ban
钱/錢 qian chin chien chee tsien
严/嚴 yan yim yen giam
覃 qin tam tan
武 wu mo boo
戴 dai tai tay thye
莫 mo mok boh
孔 kong hung khong kung
向 xiang heung
汤/湯 tang tong tng thng
常 chang seung sheung
温/溫 wen wan woon oon boon
康 kang hong khong
施 shi sze see si
文 wen man boon mun
牛 niu ngau
樊 fan faan
葛 ge kot kat
邢 xing ying
安 an on ahn ngon
齐/齊 qi chai tsai
易 yi yik
乔/喬 qiao kiu kiew
伍 wu ng goh woo
庞/龐 pang pong
颜/顏 yan ngan gan
倪 ni ngai nee ngee
庄/莊 zhuang chong chng
聂/聶 nie nip
章 zhang cheung
鲁/魯 lu lo lou loh
翟 zhai chak chai
殷 yin yan
詹 zhan chim chiam tsim
申 shen san shun
欧/歐 ou au ow oh
耿 geng kang
关/關 guan kwan koon
兰/蘭 lan laan
焦 jiao chiu tsiu
俞 yu yue yee
左 zuo cho tso
柳 liu lau
甘 gan kam kan
祝 zhu chuk
包 bao pau pao
宁/寧 ning ling
尚 shang sheung seung
符 fu foo phu
舒 shu shue
阮 ruan yuen nguyen
柯 ke or kua kwa kho
纪/紀 ji kei kee
梅 mei mui moy buay
童 tong tung
凌 ling leng
毕/畢 bi pat pit
单/單 shan sin seen
区/區 ou au ow aw
解 xie hai
仇 qiu kau
查 zha cha tsa char
朴 piao park pak bak
盖/蓋 ge koi kai
缪/繆 miao mau miu
乐/樂 yue lok ngok
秘 bi
种/種 chong chung
车/車 che
燕 yan yin
过/過 guo
褚 chu chu
曲 qu kuk
能 nai
华/華 hua wah
尉 yu
员/員 yun
召 shao
折 she
牟 mou
冼 xian sin
洗 xian sin
宓 mi
贲/賁 ben
隗 wei
薄 bo
繁 po
句 gou
宿 su suk
岳 yue ngok
欧阳/歐陽 ou-yang auyeung auyoung owyang auyong
司马/司馬 si-ma szema seema
诸葛/諸葛 zhu-ge chukot
上官 shang-guan sheungkoon
皇甫 huang-fu wongpo
令狐 ling-hu lingwoo
东方/東方 dong-fang tungfong
尉迟/尉遲 yu-chi watchi
公孙/公孫 gong-sun kungsuen
慕容 mu-rong moyung
长孙/長孫 zhang-sun cheungsuen
司徒 si-tu szeto seto
夏侯 xia-hou hahau
轩辕/軒轅 xuan-yuan hinyuen
端木 duan-mu tuenmuk
万俟/萬俟 mo-qi
澹台/澹臺 tan-tai
宇文 yu-wen yuman
南宫/南宮 nan-gong namkung
西门/西門 xi-men saimun
呼延 hu-yan
百里 bai-li
钟离/鍾離 zhong-li chunglei
申屠 shen-tu
单于/單于 chan-yu
"""

# Cantonese (Hong Kong government romanisation) of characters common in given names, so that
# 张伟 is found by "Cheung Wai". Not exhaustive: characters outside it get pinyin and Wade-Giles.
_CANTONESE_DATA = """
伟偉 wai|明 ming|华華 wah|文 man|强強 keung|志 chi|国國 kwok|家 ka|嘉 ka|俊 chun|杰傑 kit
美 mei|玲 ling|丽麗 lai|芳 fong|婷 ting|敏 man|静靜 ching|秀 sau|英 ying|慧 wai|小 siu
建 kin|德 tak|成 shing|永 wing|浩 ho|子 tsz|雅 nga|欣 yan|思 sze|宇 yu|豪 ho|健 kin
辉輝 fai|海 hoi|平 ping|军軍 kwan|勇 yung|斌 pan|红紅 hung|梅 mui|兰蘭 lan|芬 fun|燕 yin
霞 ha|娟 kuen|琳 lam|丹 tan|萍 ping|玉 yuk|珍 chun|凤鳳 fung|洁潔 kit|琴 kam|云雲 wan
莲蓮 lin|娜 na|婉 yuen|淑 suk|惠 wai|珠 chu|翠 chui|雪 suet|晶 ching|彩 choi|春 chun
菊 kuk|月 yuet|妮 nei|莉 lei|佳 kai|倩 sin|颖穎 wing|怡 yi|诗詩 sze|晓曉 hiu|雯 man|琪 kei
宝寶 po|贵貴 kwai|福 fuk|生 sang|龙龍 lung|祥 cheung|发發 fat|财財 choi|荣榮 wing|光 kwong
东東 tung|新 san|林 lam|中 chung|金 kam|保 po|安 on|山 shan|峰 fung|波 po|宁寧 ning
涛濤 to|鹏鵬 pang|刚剛 kong|磊 lui|超 chiu|亮 leung|飞飛 fei|毅 ngai|鸿鴻 hung|博 pok
立 lap|信 shun|昌 cheong|达達 tat|天 tin|民 man|仁 yan|义義 yee|礼禮 lai|智 chi|忠 chung
孝 hau|贤賢 yin|振 chun|兴興 hing|汉漢 hon|伦倫 lun|恩 yan|乐樂 lok|晨 san|阳陽 yeung
雄 hung|锋鋒 fung|威 wai|力 lik|泽澤 chak|正 ching|清 ching|坤 kwan|敬 king|耀 yiu
铭銘 ming|佩 pui|慈 chi|爱愛 oi|心 sum|秋 chau|冬 tung|芝 chi|冰 ping|霖 lam|琦 kei
瑜 yu|君 kwan|梓 tsz|晴 ching|瑶瑤 yiu|悦悅 yuet|萱 huen|轩軒 hin|凯凱 hoi|翔 cheung
彬 pan|良 leung|桂 kwai|兵 ping|艳艷豔 yim|一 yat|大 tai|少 siu|亚亞 a|阿 a|凡 fan|方 fong
雨 yu|星 sing|伯 pak|有 yau|友 yau|卫衛 wai|维維 wai|玮瑋 wai|炜煒 wai|薇 mei|宏 wang
洪 hung|弘 wang|晖暉 fai|峻 chun|骏駿 chun|钧鈞 kwan|均 kwan|桦樺 wah|基 kei|锦錦 kam
景 king|庆慶 hing|康 hong|泰 tai|富 fu|贞貞 ching|莹瑩 ying|宜 yi|树樹 shu|松 chung
柏 pak|楠 nam|南 nam|北 pak|西 sai|世 sai|祖 cho|宗 chung|启啟 kai|坚堅 kin|锐銳 yui
武 mo|珊 shan|琼瓊 king|银銀 ngan|碧 pik|蕾 lui|蓉 yung|若 yeuk|梦夢 mung|希 hei|悠 yau
和 wo|顺順 shun|利 lee|寿壽 sau|喜 hei|才 choi|善 sin|旺 wong|江 kong|河 ho|湖 wu|洋 yeung
森 sum|竹 chuk|日 yat|风風 fung|霜 sheung|虎 fu|鹤鶴 hok|士 sze|哲 chit|涵 ham|彤 tung
璐 lo|欢歡 fun|妍 yin|婧 ching|楷 kai|皓 ho|熙 hei|逸 yat|诚誠 shing|鑫 yam|巧 hau|娥 ngo
素 so|真 chun|环環 wan|妹 mui|香 heung|媛 wun|瑞 sui|娣 tai|叶葉 yip|珊 shan|莎 sa|青 ching
露 lo|仪儀 yee|荷 ho|眉 mei|蕊 yui|菁 ching|岚嵐 lam|馨 hing|韵韻 wan|艺藝 ngai|咏詠 wing
聪聰 chung|纯純 shun|毓 yuk|昭 chiu|羽 yu|育 yuk|筠 kwan|柔 yau|凝 ying|枫楓 fung|芸 wan
菲 fei|寒 hon|伊 yi|可 ho|舒 shu|影 ying|贝貝 pui|恒恆 hang|剑劍 kim|娇嬌 kiu|灵靈 ling
容 yung|睿 yui|唯 wai|彦彥 yin|语語 yu|昱 yuk|钰鈺 yuk|玛瑪 ma|嫦 sheung|婵嬋 shim|茵 yan
"""


def _parse_surnames() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Surname form -> pinyin syllables; pinyin (joined) -> listed variants."""
    readings: dict[str, tuple[str, ...]] = {}
    extras: dict[str, tuple[str, ...]] = {}
    for line in _SURNAME_DATA.strip().splitlines():
        forms, pinyin, *variants = line.split()
        syllables = tuple(pinyin.split("-"))
        for form in forms.split("/"):
            readings[form] = syllables
            extras[form] = tuple(variants)
    return readings, extras


_SURNAME_READING, _SURNAME_VARIANTS = _parse_surnames()
_COMPOUND_SURNAMES = frozenset(form for form in _SURNAME_READING if len(form) == 2)
_CANTONESE = {
    ch: roman
    for entry in _CANTONESE_DATA.replace("\n", "|").split("|")
    if entry.strip()
    for chars, roman in [entry.split()]
    for ch in chars
}

_PINYIN_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h",
                    "j", "q", "x", "r", "z", "c", "s", "y", "w")  # fmt: skip
_WG_INITIAL = {"b": "p", "d": "t", "g": "k", "j": "ch", "q": "ch", "x": "hs", "zh": "ch",
               "r": "j", "z": "ts", "c": "ts"}  # fmt: skip
_WG_WHOLE = {"zhi": "chih", "chi": "chih", "shi": "shih", "ri": "jih", "zi": "tzu", "ci": "tzu",
             "si": "ssu", "er": "erh", "yan": "yen", "ye": "yeh", "you": "yu", "yi": "i",
             "yong": "yung", "yue": "yueh", "ve": "ueh"}  # fmt: skip
_WG_TO_O = frozenset([("uo", i) for i in "dtnlzcsr"] + [("e", i) for i in "gkh"])  # duo to, ge ko


@lru_cache(maxsize=4096)
def _wade_giles(syllable: str) -> str:
    """Pinyin syllable (no tone, ü as v) to Wade-Giles without apostrophes or umlauts."""
    if syllable in _WG_WHOLE:
        return _WG_WHOLE[syllable]
    initial = next((i for i in _PINYIN_INITIALS if syllable.startswith(i)), "")
    final = syllable[len(initial) :]
    if not final:
        return syllable
    if initial in ("j", "q", "x"):
        final = {"ue": "ueh", "uan": "uan", "un": "un", "u": "u"}.get(final, final)
    if final.endswith("iong"):
        final = final[:-4] + "iung"
    elif final.endswith("ong"):
        final = final[:-3] + "ung"
    elif final == "ian":
        final = "ien"
    elif final in ("ie", "ue", "ve"):
        final += "h"
    elif (final, initial) in _WG_TO_O:
        final = "o"
    elif final == "ui" and initial in ("g", "k"):
        final = "uei"
    return _WG_INITIAL.get(initial, initial) + final


def _u_forms(syllable: str) -> tuple[str, ...]:
    """Pinyin written with v for ü: passports use LYU, older ones LV or LU."""
    if "v" not in syllable:
        return (syllable,)
    return (syllable.replace("v", "yu"), syllable, syllable.replace("v", "u"))


@lru_cache(maxsize=8192)
def _syllable_variants(syllable: str, char: str) -> frozenset[str]:
    """A pinyin syllable of ``char``: ü forms, Wade-Giles, Cantonese if known."""
    out = set(_u_forms(syllable))
    out.update(_u_forms(_wade_giles(syllable)))
    if char in _CANTONESE:
        out.add(_CANTONESE[char])
    return frozenset(s for s in out if s)


@lru_cache(maxsize=_CACHE)
def _pinyin(text: str) -> tuple[str, ...]:
    """Pinyin syllables (ü as v) of a run of Han characters, phrase-aware."""
    from pypinyin import Style, lazy_pinyin

    text = unicodedata.normalize("NFKC", text)
    out = lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: [anyascii(c) for c in chars])
    syllables = tuple(_clean(s.lower()) for s in out)
    if len(syllables) != len(text):  # errors callback may merge; fall back char by char
        syllables = tuple(_clean(s.lower()) for c in text for s in lazy_pinyin(c)[:1])
    return syllables


class _Part:
    """One name part.

    ``primary`` is the best romanisation; ``forms`` are romanisations in the script's own
    system (pinyin, royin...), ``variants`` are other spellings (Wade-Giles, Cantonese, Thai
    passport forms...). ``extra_*`` are index-only tokens (Chinese syllables, apostrophe pieces).
    ``latin`` marks a part written in Latin script by a person (not romanised by us).
    """

    __slots__ = ("extra_forms", "extra_variants", "forms", "latin", "primary", "variants")

    def __init__(
        self,
        primary: str,
        variants: Iterable[str] = (),
        *,
        forms: Iterable[str] = (),
        extra_forms: Iterable[str] = (),
        extra_variants: Iterable[str] = (),
        latin: bool = False,
    ) -> None:
        self.primary = primary
        self.forms = frozenset(f for f in forms if f) | {primary}
        self.variants = frozenset(v for v in variants if v) - self.forms
        self.extra_forms = frozenset(f for f in extra_forms if f)
        self.extra_variants = frozenset(v for v in extra_variants if v) - self.extra_forms
        self.latin = latin


def _canonical(syllable: str) -> str:
    return _u_forms(syllable)[0]


@lru_cache(maxsize=_CACHE)
def _han_surname(surname: str) -> _Part:
    surname = unicodedata.normalize("NFKC", surname)
    if surname in _SURNAME_READING:
        syllables = _SURNAME_READING[surname]
        listed = _SURNAME_VARIANTS[surname]
    else:
        syllables = _pinyin(surname)
        listed = ()
    primary = "".join(_canonical(s) for s in syllables)
    variants = set(listed)
    variants.add("".join(syllables))  # ü as v
    variants.add("".join(s.replace("v", "u") for s in syllables))
    variants.add("".join(_wade_giles(s) for s in syllables))
    if len(surname) == 1 and surname in _CANTONESE:
        variants.add(_CANTONESE[surname])
    return _Part(primary, variants)


@lru_cache(maxsize=_CACHE)
def _han_given(given: str) -> _Part:
    """A given name (or any Han run): joined syllables; each syllable is an index extra."""
    given = unicodedata.normalize("NFKC", given)
    syllables = _pinyin(given)
    primary = "".join(_canonical(s) for s in syllables)
    variants = {
        "".join(s.replace("v", "u") for s in syllables),
        "".join(syllables),
        "".join(_wade_giles(s) for s in syllables),
    }
    if all(c in _CANTONESE for c in given):
        variants.add("".join(_CANTONESE[c] for c in given))
    if len(syllables) == 1:
        variants |= _syllable_variants(syllables[0], given)
        return _Part(primary, variants)
    extra_variants: set[str] = set()
    for syllable, char in zip(syllables, given, strict=False):
        extra_variants |= _syllable_variants(syllable, char)
    return _Part(
        primary,
        variants,
        extra_forms=[_canonical(s) for s in syllables],
        extra_variants=extra_variants,
    )


def _han_parts(runs: list[str]) -> list[_Part]:
    """Han runs of one name in order. A 1-4 character name gets surname treatment."""
    total = sum(len(r) for r in runs)
    if not runs:
        return []
    if total <= 4 and len(runs) <= 2:
        if len(runs) == 2 and len(runs[0]) <= 2:
            return [_han_surname(runs[0]), _han_given(runs[1])]
        if len(runs) == 1:
            run = runs[0]
            cut = 2 if len(run) >= 2 and run[:2] in _COMPOUND_SURNAMES else 1
            parts = [_han_surname(run[:cut])]
            if run[cut:]:
                parts.append(_han_given(run[cut:]))
            return parts
    return [_han_given(r) for r in runs]


# --------------------------------------------------------------------------------------------
# Thai
# --------------------------------------------------------------------------------------------

_THAI_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"^ch", "j"),  # จ is written J on passports (Jaidee), royin writes ch
        (r"(?<=[^aeiou])i$", "ee"),  # long final i: chaidi -> chaidee
        (r"(?<=[^aeiou])u(?=[^aeiou]|$)", "oo"),  # bun -> boon
        (r"ph", "p"),
        (r"th", "t"),
        (r"kh", "k"),
        (r"(?<=[^aeiou])o$", "oh"),
        (r"^w", "v"),  # Wichai / Vichai
    )
)


@lru_cache(maxsize=_CACHE)
def _thai_royin(word: str) -> str:
    from pythainlp.transliterate import romanize as thai_romanize

    try:
        out = thai_romanize(word, engine="royin")
    except Exception:  # noqa: BLE001 - a romaniser bug must not stop a record being saved
        out = ""
    return _clean(out.lower()) or _clean(anyascii(word).lower())


@lru_cache(maxsize=_CACHE)
def _thai_by_pieces(word: str) -> str:
    """royin of each dictionary word inside ``word``, joined.

    royin on the whole word sometimes inserts a linking vowel that is not there
    (ดวงพร "duangaphon"; by pieces "duangphon"), so both forms are kept.
    """
    from pythainlp.tokenize import word_tokenize

    try:
        pieces = word_tokenize(word, engine="newmm", keep_whitespace=False)
    except Exception:  # noqa: BLE001 - fall back to the whole-word romanisation
        return ""
    if len(pieces) < 2:
        return ""
    return "".join(_thai_royin(piece) for piece in pieces)


def _thai_variants(royin: str) -> set[str]:
    """Passport-style spellings of a royin romanisation (chaidi -> jaidee, bunmi -> boonmee)."""
    out = {royin}
    everything = keep_aspirates = royin
    for pattern, repl in _THAI_RULES:
        out.add(pattern.sub(repl, royin))
        everything = pattern.sub(repl, everything)
        if repl not in ("p", "t", "k"):
            keep_aspirates = pattern.sub(repl, keep_aspirates)
    out.add(everything)  # chaidi -> jaidee
    out.add(keep_aspirates)  # thongdi -> thongdee
    return out


@lru_cache(maxsize=_CACHE)
def _thai_part(word: str) -> _Part | None:
    royin = _thai_royin(word)
    if not royin:
        return None
    variants = _thai_variants(royin)
    by_pieces = _thai_by_pieces(word)
    if by_pieces:
        variants |= _thai_variants(by_pieces)
    return _Part(royin, variants, forms=[by_pieces])


# --------------------------------------------------------------------------------------------
# Burmese
# --------------------------------------------------------------------------------------------

_MY_ASAT, _MY_VIRAMA, _MY_DOT, _MY_VISARGA = "\u103a", "\u1039", "\u1037", "\u1038"
_MY_MEDIALS = "\u103b\u103c\u103d\u103e"
_MY_VOWELS = "\u102b\u102c\u102d\u102e\u102f\u1030\u1031\u1032\u1036"


def _my_is_base(ch: str) -> bool:
    return "\u1000" <= ch <= "\u102a" or ch == "\u103f" or "\u104c" <= ch <= "\u104f"


_MY_ONSET = {"က": "k", "ခ": "kh", "ဂ": "g", "ဃ": "g", "င": "ng", "စ": "s", "ဆ": "hs", "ဇ": "z",
             "ဈ": "z", "ဉ": "ny", "ည": "ny", "ဋ": "t", "ဌ": "ht", "ဍ": "d", "ဎ": "d", "ဏ": "n",
             "တ": "t", "ထ": "ht", "ဒ": "d", "ဓ": "d", "န": "n", "ပ": "p", "ဖ": "ph", "ဗ": "b",
             "ဘ": "b", "မ": "m", "ယ": "y", "ရ": "y", "လ": "l", "ဝ": "w", "သ": "th", "ဟ": "h",
             "ဠ": "l", "အ": "", "ဿ": "th"}  # fmt: skip
_MY_ONSET_Y = {"က": "ky", "ခ": "ch", "ဂ": "gy", "င": "ny", "ပ": "py", "ဖ": "phy", "ဗ": "by",
               "ဘ": "by", "မ": "my", "လ": "ly", "န": "ny"}  # fmt: skip
_MY_INDEPENDENT = {"ဣ": "i", "ဤ": "i", "ဥ": "u", "ဦ": "u", "ဧ": "ay", "ဩ": "aw", "ဪ": "aw",
                   "၌": "hnik", "၍": "ywe", "၎": "la", "၏": "i"}  # fmt: skip
_MY_FINAL_CLASS = {"က": "k", "ဂ": "k", "င": "ng", "စ": "c", "ဇ": "c", "ည": "ny", "ဉ": "nyn",
                   "ဋ": "t", "ဍ": "t", "ဏ": "n", "တ": "t", "ထ": "t", "ဒ": "t", "ဓ": "t", "န": "n",
                   "ပ": "t", "ဗ": "t", "ဘ": "t", "မ": "n", "ယ": "y", "လ": "n", "သ": "t"}  # fmt: skip

# Common name syllables in the spelling Burmese people use in passports and on Facebook.
# Value: the usual spelling first, other frequent spellings after.
_MY_NAME_DATA = """
အောင် aung|ကျော် kyaw|သန့် thant|သန်း than|ဇင် zin|ထက် htet|ဝင်း win|မြင့် myint|လှ hla
မြ mya|စု su suu|သူ thu|နိုင် naing|ဦး u oo|ခင် khin|ထွန်း tun htun|စိုး soe|မင်း min minn
ဇော် zaw|ငြိမ်း nyein|မောင် maung|ကို ko|မ ma|ဒေါ် daw|နော် naw|စော saw|သိန်း thein|ဆန်း san
ကြည် kyi|ဖြိုး phyo pyo|မျိုး myo|ပြည့် pyae pyi|ဖြူ phyu|မိုး moe|အေး aye|ခိုင် khaing
ဝေ wai way|ရွှေ shwe|နွယ် nwe|ချစ် chit|လင်း lin|ဟိန်း hein|ထူး htoo htu|ဇာ zar|မာ mar|တာ tar
နု nu|ညွန့် nyunt|ဌေး htay|ထွေး htwe|မြတ် myat|ဖုန်း phone|ပိုင် paing|ရဲ ye|ရင့် yint
ကောင်း kaung|သက် thet|သော် thaw|ဟန် han|ယု yu|ရီ yi yee|သဲ thae|ဝတ် wut|ရည် yi ye|ဖူး phoo
လွင် lwin|ညို nyo|ထိုက် htike|ဆွေ swe|အိ ei|ဆု hsu su|ဇေ zay|ယဉ် yin|မေ may|လေး lay|ဝါ wah
ပန်း pan|တင် tin|တင့် tint|ညီ nyi|ထား htar|နှင်း hnin|နီ ni nee|သင်း thin|ခိုင့် khaing
ဘ ba|ဗ ba|ရ ya|ခ kha|နေ nay|ရေ ye|ဆွဲ swe|ပွင့် pwint|သီ thi|ဒါ dar|ယမင်း yamin|သော thaw
စန်း san|ငွေ ngwe|မြို့ myo|ရွှန်း shun|ကြူ kyu|အိမ့် eaint|နန်း nan|ဖြိုး phyo|လွန်း lun
"""


def _my_components(syllable: str) -> tuple[str, str, str, str, bool, bool]:
    """(onset, medials, vowels, final, dot_below, visarga), each sorted so order never matters."""
    onset = syllable[0]
    medials: list[str] = []
    vowels: list[str] = []
    final = ""
    dot = visarga = False
    chars = syllable[1:]
    for i, ch in enumerate(chars):
        if ch in _MY_MEDIALS:
            medials.append(ch)
        elif ch in _MY_VOWELS:
            vowels.append(ch)
        elif ch == _MY_DOT:
            dot = True
        elif ch == _MY_VISARGA:
            visarga = True
        elif _my_is_base(ch):
            rest = chars[i + 1 :].replace(_MY_DOT, "")
            if rest[:1] in (_MY_ASAT, _MY_VIRAMA):
                final = ch
    return onset, "".join(sorted(medials)), "".join(sorted(vowels)), final, dot, visarga


def _my_canonical(syllable: str) -> str:
    onset, medials, vowels, final, dot, visarga = _my_components(syllable)
    return (
        onset
        + medials
        + vowels.replace("\u102b", "\u102c")
        + (final + _MY_ASAT if final else "")
        + (_MY_DOT if dot else "")
        + (_MY_VISARGA if visarga else "")
    )


def _parse_my_names() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for entry in _MY_NAME_DATA.replace("\n", "|").split("|"):
        if entry.strip():
            word, *spellings = entry.split()
            table.setdefault(_my_canonical(word), tuple(spellings))
    return table


_MY_NAMES = _parse_my_names()


def _my_syllables(text: str) -> list[str]:
    """Split Burmese text into syllables; a stacked consonant (virama) starts a new one."""
    out: list[str] = []
    current = ""
    for i, ch in enumerate(text):
        if _my_is_base(ch):
            nxt = text[i + 1 : i + 3].replace(_MY_DOT, "")[:1]
            if nxt not in (_MY_ASAT, _MY_VIRAMA) and current:
                out.append(current)
                current = ""
        current += ch
    if current:
        out.append(current)
    return [s for s in out if _my_is_base(s[0])]


def _my_romanise_rule(syllable: str) -> str:
    """Rule-based romanisation of one syllable, in the style of Burmese personal names."""
    onset, medials, vowels, final, dot, visarga = _my_components(syllable)
    if onset in _MY_INDEPENDENT:
        return _MY_INDEPENDENT[onset]
    base = _MY_ONSET.get(onset, "")
    has_y = "\u103b" in medials or "\u103c" in medials
    has_w = "\u103d" in medials
    if has_y:
        base = _MY_ONSET_Y.get(onset, base + "y")
    if "\u103e" in medials:
        base = "sh" if onset in "ရယ" or (onset == "လ" and has_y) else "h" + base
    e, i, u = "\u1031" in vowels, "\u102d" in vowels or "\u102e" in vowels, "\u102f" in vowels
    u = u or "\u1030" in vowels
    aa = "\u102c" in vowels or "\u102b" in vowels
    cls = _MY_FINAL_CLASS.get(final, "") if final else ("n" if "\u1036" in vowels else "")
    wa_rhyme = False
    if not cls:
        if e and aa:
            rhyme = "aw"
        elif i and u:
            rhyme = "o"
        elif e:
            rhyme = "e" if has_w else "ay"
        elif "\u1032" in vowels:
            rhyme = "ae"
        elif i:
            rhyme = "i"
        elif u:
            rhyme = "u"
        else:
            rhyme = "a"
    elif cls in ("k", "ng"):
        core = {"k": "et", "ng": "in"}[cls]
        if i and u:
            core = {"k": "aik", "ng": "aing"}[cls]
        elif e and aa:
            core = {"k": "auk", "ng": "aung"}[cls]
        rhyme = core
    elif cls == "c":
        rhyme = "it"
    elif cls == "ny":
        rhyme = "i"
    elif cls == "nyn":
        rhyme = "in"
    elif cls == "y":
        rhyme = "e"
    else:  # t / n classes: at an, eik ein, ok on, ut un
        stop = cls == "t"
        if i and u:
            rhyme = "aik" if stop else "aing"
        elif i:
            rhyme = "eik" if stop else "ein"
        elif u:
            rhyme = "ok" if stop else "on"
        elif has_w:
            rhyme, wa_rhyme = ("ut" if stop else "un"), True
        else:
            rhyme = "at" if stop else "an"
    if dot and rhyme in ("in", "an", "un", "ein", "on"):
        rhyme += "t"  # မြင့် Myint, သန့် Thant
    if has_w and not wa_rhyme:
        base += "w"
    return _clean(base + rhyme)


@lru_cache(maxsize=_CACHE)
def _my_syllable_part(syllable: str) -> _Part | None:
    canonical = _my_canonical(syllable)
    spellings = _MY_NAMES.get(canonical)
    if spellings is None and _MY_VISARGA in canonical:
        spellings = _MY_NAMES.get(canonical.replace(_MY_VISARGA, ""))
    if spellings:
        return _Part(spellings[0], spellings[1:])
    if any(not ("\u1000" <= c <= "\u104f") for c in syllable):  # Shan, Mon... extensions
        roman = _clean(anyascii(syllable).lower())
    else:
        roman = _my_romanise_rule(syllable)
    return _Part(roman) if roman else None


_ZAWGYI_THRESHOLD = 0.95


@lru_cache(maxsize=1)
def _zawgyi_tools() -> tuple[object, object] | None:
    """(detector, converter) when myanmartools and python-myanmar are installed, else None."""
    try:
        from myanmar.converter import convert
        from myanmartools import ZawgyiDetector
    except ImportError:
        return None
    with warnings.catch_warnings():  # myanmartools 1.2.1 uses importlib.resources.open_binary
        warnings.simplefilter("ignore", DeprecationWarning)
        return ZawgyiDetector(), convert


@lru_cache(maxsize=_CACHE)
def _to_unicode_burmese(text: str) -> str:
    """Convert legacy Zawgyi-encoded Burmese to Unicode when it is detected."""
    tools = _zawgyi_tools()
    if tools is None:
        return text
    detector, convert = tools
    if detector.get_zawgyi_probability(text) < _ZAWGYI_THRESHOLD:  # type: ignore[attr-defined]
        return text
    try:
        return convert(text, "zawgyi", "unicode")  # type: ignore[operator]
    except Exception:  # noqa: BLE001 - keep the original text rather than lose the record
        return text


_MY_VOICED_RE = re.compile(r"^(?:t|k|p|s)(?!h)")
_MY_VOICING = {"t": "d", "k": "g", "p": "b", "s": "z"}


def _voice(match: re.Match[str]) -> str:
    return _MY_VOICING[match.group(0)]


@lru_cache(maxsize=_CACHE)
def _my_word(word: str) -> tuple[tuple[_Part, ...], frozenset[str]]:
    """Parts (one per syllable) and extra joined tokens for one Burmese word."""
    text = _to_unicode_burmese(word).replace("\u1025\u102e", "\u1026")  # ဥ+ီ typed for ဦ
    parts = tuple(p for p in map(_my_syllable_part, _my_syllables(text)) if p is not None)
    extras = {a.primary + b.primary for a, b in pairwise(parts)}
    # Pali-derived names are written as one word, with the second consonant voiced:
    # သီတာ Thida, စန္ဒာ Sandar, နန္ဒာ Nanda.
    extras |= {a.primary + _MY_VOICED_RE.sub(_voice, b.primary) for a, b in pairwise(parts)}
    if len(parts) > 2:
        extras.add("".join(p.primary for p in parts))
    return parts, frozenset(extras)


# --------------------------------------------------------------------------------------------
# Khmer, Latin and everything else
# --------------------------------------------------------------------------------------------

_KHMER_SILENT_RE = re.compile("[\u17c9\u17ca\u17cb\u17cc\u17cd\u17ce\u17cf\u17d0\u17d1\u17dd]")


@lru_cache(maxsize=_CACHE)
def _latin_word(word: str) -> _Part | None:
    """A Latin (or anyascii-romanised) word. Apostrophes join; the pieces are index extras."""
    text = _normalise_latin(word)
    pieces = [_clean(p) for p in _APOS_RE.split(text)]
    joined = "".join(pieces)
    if not joined:
        return None
    return _Part(joined, extra_forms=pieces if len(pieces) > 1 else (), latin=True)


@lru_cache(maxsize=_CACHE)
def _other_word(word: str, script: str) -> _Part | None:
    if script == "khmer":
        word = _KHMER_SILENT_RE.sub("", word)
    roman = _clean(anyascii(unicodedata.normalize("NFKC", word)).lower())
    return _Part(roman) if roman else None


# --------------------------------------------------------------------------------------------
# Splitting and analysis
# --------------------------------------------------------------------------------------------

_HYPHENS = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u30fc"


def _words(text: str) -> list[list[tuple[str, str]]]:
    """Hyphen groups of words; each word is a list of (script, run) in written order.

    Separators: whitespace, punctuation (comma, dot, ·, brackets...) and hyphens. Apostrophes
    stay inside Latin words. Combining marks and digits stay with the run before them.
    """
    groups: list[list[tuple[str, str]]] = []
    group: list[tuple[str, str]] = []
    run, run_script = "", ""

    def flush_run() -> None:
        nonlocal run, run_script
        if run and run_script:
            group.append((run_script, run))
        run, run_script = "", ""

    def flush_group() -> None:
        nonlocal group
        flush_run()
        if group:
            groups.append(group)
        group = []

    for ch in text:
        if ch in _APOSTROPHES:
            if run_script in ("latin", "other"):
                run += ch
            continue
        script = _char_script(ch)
        if script == "sep" or ch.isspace():
            if ch in _HYPHENS:
                flush_run()
                group.append(("-", "-"))
            else:
                flush_group()
            continue
        if script == "":
            if run:
                run += ch
            continue
        if script != run_script:
            flush_run()
            run_script = script
        run += ch
    flush_group()
    return groups


def _han_layout(han_runs: list[str]) -> list[list[_Part]]:
    """Parts for each Han run (a single run may give a surname part and a given-name part)."""
    parts = _han_parts(han_runs)
    if len(han_runs) == 1:
        return [parts]
    return [[p] for p in parts]


def _analyse(text: str) -> tuple[list[_Part], set[str], set[str]]:
    """Name parts in written order, plus joined tokens (Latin, native) for indexing only."""
    groups = _words(unicodedata.normalize("NFC", text))
    han_layout = iter(_han_layout([r for g in groups for s, r in g if s == "han"]))
    parts: list[_Part] = []
    latin_joins: set[str] = set()
    native_joins: set[str] = set()

    def add_join(members: Iterable[_Part]) -> None:
        members = list(members)
        joined = "".join(p.primary for p in members)
        (latin_joins if all(p.latin for p in members) else native_joins).add(joined)

    for group in groups:
        members: list[_Part] = []
        for script, run in group:
            new: list[_Part] = []
            if script == "-":
                continue
            if script == "han":
                new = next(han_layout, [])
            elif script == "thai":
                part = _thai_part(run)
                new = [part] if part else []
            elif script == "myanmar":
                my_parts, my_joins = _my_word(run)
                new = list(my_parts)
                native_joins |= my_joins
            elif script == "latin":
                part = _latin_word(run)
                new = [part] if part else []
            else:
                part = _other_word(run, script)
                new = [part] if part else []
            members.extend(new)
        parts.extend(members)
        if len(members) > 2 and any(s == "-" for s, _ in group):
            add_join(members)  # Anne-Marie-Louise -> annemarielouise
    for pair in pairwise(parts):
        add_join(pair)  # Nur Aini -> nuraini; Jean-Pierre -> jeanpierre
    return parts, latin_joins, native_joins


def romanise(text: str) -> list[str]:
    """Best single romanisation per name part: lower-case ASCII, in written order."""
    _check(text)
    parts, _, _ = _analyse(text)
    return [p.primary for p in parts]


def name_tokens(text: str) -> set[str]:
    """All tokens to index for one stored name.

    Text written in Latin script gives plain tokens and ``k:`` keys. Text romanised from
    another script gives ``n:`` (its own romanisation system), ``v:`` (other spellings) and
    ``nk:`` keys, so that two native-script names only meet on their own romanisation
    (王 and 黄 are both "Wong" in Cantonese, but a search for 王 must not find 黄), while a
    Latin query still reaches every spelling.
    """
    _check(text)
    return set(_name_tokens(text))


def _keys(prefix: str, tokens: Iterable[str]) -> set[str]:
    return {prefix + k for k in map(_phonetic_key, tokens) if k}


@lru_cache(maxsize=4096)
def _name_tokens(text: str) -> frozenset[str]:
    parts, latin_joins, native_joins = _analyse(text)
    plain, forms, variants = set(latin_joins), set(native_joins), set()
    for part in parts:
        if part.latin:
            plain |= part.forms | part.extra_forms
        else:
            forms |= part.forms | part.extra_forms
            variants |= part.variants | part.extra_variants
    variants -= forms
    tokens = plain | _keys(KEY_PREFIX, plain)
    tokens |= {NATIVE_PREFIX + f for f in forms} | {VARIANT_PREFIX + v for v in variants}
    tokens |= _keys(NATIVE_KEY_PREFIX, forms | variants)
    tokens.discard("")
    return frozenset(tokens)


def query_tokens(text: str) -> list[set[str]]:
    """One set of alternative tokens per query part; every part must match one of its set.

    A Latin part reaches Latin-stored names (literally, by key, and through the Chinese surname
    groups: "Cheung" also tries "zhang") and native-stored names (by their romanisation, any
    variant spelling, or key). A native-script part reaches native-stored names by its own
    romanisation only, and Latin-stored names by any spelling or key.
    """
    _check(text)
    if not text.strip():
        return []
    parts, _, _ = _analyse(text)
    out: list[set[str]] = []
    for part in parts:
        if part.latin:
            spelled = {part.primary}
            alts = {part.primary, NATIVE_PREFIX + part.primary, VARIANT_PREFIX + part.primary}
            alts |= _keys(NATIVE_KEY_PREFIX, spelled)
            spelled |= _SURNAME_GROUPS.get(part.primary, frozenset())
        else:
            alts = {NATIVE_PREFIX + f for f in part.forms}
            spelled = set(part.forms | part.variants)
        alts |= spelled | _keys(KEY_PREFIX, spelled)
        alts.discard("")
        out.append(alts)
    return out


def _surname_groups() -> dict[str, frozenset[str]]:
    """Latin spelling -> every spelling of every Chinese surname it can stand for."""
    groups: dict[str, set[str]] = {}
    for form in _SURNAME_READING:
        part = _han_surname(form)
        spellings = part.forms | part.variants
        for spelling in spellings:
            groups.setdefault(spelling, set()).update(spellings)
    return {k: frozenset(v) for k, v in groups.items()}


_SURNAME_GROUPS = _surname_groups()
