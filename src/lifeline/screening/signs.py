"""The warning signs of a trafficking lure, in the languages the lures are written in.

Each sign has a code, a short title and an explanation of why it matters, both marked for
translation: the reader gets them in their own language whatever the offer's language. A sign
is a list of rules per language; a rule is a tuple of patterns that must *all* be found in the
text (``("abroad", "flight paid")``); the sign is found when any one rule of any language is.

Patterns are matched against the folded text (``fold``): NFKC, case-folded, Latin letters
stripped of their accents (Vietnamese is often typed without them), other scripts untouched.
So the Latin-script patterns (English, Vietnamese, Indonesian) are written without accents.

The phrases come from the lures described by the networks and by reporting on the compounds;
they are no measurement: the examples in tests/screening/ were written for the tests.
"""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("en", "zh", "th", "vi", "id", "km", "my")

# Numbers in Thai, Khmer and Burmese digits read as ASCII digits, so that "๕๐,๐๐๐" is 50,000.
_DIGITS = str.maketrans(
    "๐๑๒๓๔๕๖๗๘๙០១២៣៤៥៦៧៨៩၀၁၂၃၄၅၆၇၈၉",
    "012345678901234567890123456789",
)


@dataclass(frozen=True)
class Sign:
    code: str
    title: Promise
    why: Promise
    weight: float
    rules: dict[str, Sequence[tuple[str, ...]]] = field(repr=False)


@dataclass(frozen=True)
class Hit:
    """A sign found in a text: its code, the languages whose rules matched and the phrases."""

    sign: Sign
    languages: tuple[str, ...]
    phrases: tuple[str, ...]

    @property
    def code(self) -> str:
        return self.sign.code


def fold(text: str) -> str:
    """The text as the patterns see it (see the module docstring)."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_DIGITS)
    text = _LATIN_ACCENTS.sub("", unicodedata.normalize("NFD", text.replace("đ", "d")))
    return unicodedata.normalize("NFC", text)


# Combining accents of Latin letters; Thai, Khmer and Burmese marks are in their own blocks.
_LATIN_ACCENTS = re.compile("[\u0300-\u036f]")
# Rules of these languages are only tried on a text that has a letter of their script.
_SCRIPTS = {
    "zh": re.compile("[\u3400-\u9fff\uf900-\ufaff]"),
    "th": re.compile("[\u0e00-\u0e7f]"),
    "km": re.compile("[\u1780-\u17ff]"),
    "my": re.compile("[\u1000-\u109f]"),
}


# Shared pieces of patterns.
_CHAT = r"(telegram|whats\s?app|wechat|we\s?chat|\bline\s*(id\b|[:：@])|zalo|skype|viber|t\.me/|wa\.me/)"
_ABROAD_EN = r"\b(abroad|overseas|oversea|cambodia|myanmar|burma|laos|dubai|thailand|sihanoukville|poipet|bavet|myawaddy)\b"
_AGE_RANGE = r"(1[5-9]|[2-4]\d)\s*(-|–|~|to|至|到|ถึง|den|sampai|s/d)\s*(1[8-9]|[2-5]\d)"

SIGNS: tuple[Sign, ...] = (
    Sign(
        code="overseas_travel_paid",
        title=_("Work abroad with the travel paid for you"),
        why=_(
            "Traffickers pay the flight, the visa or the border crossing so that you arrive "
            "with nothing and 'owe' them the cost; real employers rarely pay up front for "
            "unskilled work abroad."
        ),
        weight=2.0,
        rules={
            "en": (
                (
                    r"\b(free|paid|covered|provided|sponsored|reimbursed)\b.{0,40}\b(flights?|air\s?tickets?|tickets?|visas?|travel|transport(ation)?|accommodation)\b",
                    _ABROAD_EN,
                ),
                (
                    r"\b(flights?|air\s?tickets?|visas?|travel)\b.{0,40}\b(free|paid|covered|provided|sponsored|reimbursed)\b",
                    _ABROAD_EN,
                ),
                (
                    r"\b(company|employer|we)\b.{0,20}\b(pays?|covers?)\b.{0,30}\b(flights?|tickets?|visas?|travel)\b",
                ),
            ),
            "zh": (
                (
                    r"(包|报销|免费|公司承担|公司出|公司负责|公司报销).{0,6}(机票|签证|路费|车费|旅费)",
                ),
                (r"(机票|签证|路费|旅费).{0,6}(全包|公司(承担|出|负责|报销)|免费|报销)",),
            ),
            "th": (
                (r"(ฟรี|ออกให้|ออกค่า|รับผิดชอบ|จ่ายให้).{0,20}(ตั๋วเครื่องบิน|ค่าเดินทาง|วีซ่า|ค่าตั๋ว)",),
                (r"(ตั๋วเครื่องบิน|ค่าเดินทาง|วีซ่า|ค่าตั๋ว).{0,20}(ฟรี|บริษัทออกให้|บริษัทจ่าย|บริษัทรับผิดชอบ)",),
                (r"บินฟรี",),
            ),
            "vi": (
                (
                    r"(bao|mien phi|ho tro|cong ty chiu|cong ty tra).{0,20}(ve may bay|visa|chi phi di lai|tien ve)",
                ),
                (
                    r"(ve may bay|visa|chi phi di lai).{0,20}(mien phi|cong ty chiu|cong ty tra|duoc bao)",
                ),
            ),
            "id": (
                (
                    r"(gratis|ditanggung|dibayar|dibiayai).{0,25}(tiket|pesawat|visa|transportasi|perjalanan)",
                ),
                (
                    r"(tiket|pesawat|visa|transportasi|perjalanan).{0,25}(gratis|ditanggung|dibayar|dibiayai)",
                ),
            ),
            # "The company pays the air ticket" / "free air ticket".
            "km": (
                (r"(ចេញថ្លៃ|ឥតគិតថ្លៃ|ក្រុមហ៊ុនចេញ).{0,20}(សំបុត្រយន្តហោះ|ទិដ្ឋាការ|ការធ្វើដំណើរ)",),
                (r"(សំបុត្រយន្តហោះ|ទិដ្ឋាការ).{0,20}(ឥតគិតថ្លៃ|ក្រុមហ៊ុនចេញ)",),
            ),
            "my": ((r"လေယာဉ်လက်မှတ်.{0,15}(အခမဲ့|ကုမ္ပဏီက)",), (r"(အခမဲ့|ကုမ္ပဏီက).{0,15}(လေယာဉ်လက်မှတ်|ဗီဇာ)",)),
        },
    ),
    Sign(
        code="high_pay_no_experience",
        title=_("High pay for work that needs no experience"),
        why=_(
            "A salary far above the local norm for a job anyone can do is the bait: nobody "
            "pays that much for typing or chatting. Compare it with what the same work pays "
            "at home."
        ),
        weight=2.0,
        rules={
            "en": (
                (
                    r"(\bhigh(ly)?\s*(paid|pay|salary|income|commission)|\bearn\s*(up\s*to|over|more\s*than)|(\$|\busd\s?|\bus\$)\s?[1-9],?\d{3}\b|\b[1-9],?\d{3}\s?(usd|\$|dollars))",
                    r"\b(no|without|zero)\s+(prior\s+|previous\s+)?experience|\bexperience\s+(is\s+)?not\s+(needed|required|necessary)|\bno\s+skills?\s+(needed|required)",
                ),
            ),
            "zh": (
                (
                    r"(高薪|高工资|高收入|月入过万|月薪\s*\d?\s*[1-9]\d{3,}|月薪.{0,4}万|底薪\s*[1-9]\d{3,}|[1-9]\d{3,}\s*(美金|美元|u\b|usdt))",
                    r"(无需经验|不需要经验|无经验|零经验|不要求经验|经验不限|小白(可|也)|新手可)",
                ),
            ),
            "th": (
                (
                    r"(เงินเดือนสูง|รายได้สูง|รายได้ดี|เงินเดือน\s*[2-9]\d,?\d{3}|[2-9]\d,?\d{3}\s*บาท)",
                    r"(ไม่ต้องมีประสบการณ์|ไม่จำเป็นต้องมีประสบการณ์|ไม่มีประสบการณ์ก็ได้)",
                ),
            ),
            "vi": (
                (
                    r"(luong cao|thu nhap cao|luong\s*(tu\s*)?[1-9]\d\s*(-\s*\d+\s*)?trieu|[2-9]\d\s*trieu|[1-9],?\d{3}\s*(usd|\$|do))",
                    r"(khong can kinh nghiem|khong yeu cau kinh nghiem|chua co kinh nghiem)",
                ),
            ),
            "id": (
                (
                    r"(gaji\s*(tinggi|besar|menarik)|penghasilan\s*(tinggi|besar)|gaji\s*(rp\.?\s*)?[1-9]\d?\s*juta|[1-9]\d?\s*juta\s*/?\s*(per\s*)?bulan)",
                    r"(tanpa pengalaman|tidak (perlu|butuh|harus) (ada )?pengalaman|belum berpengalaman)",
                ),
            ),
            # "High salary" and "no experience needed".
            "km": ((r"ប្រាក់ខែខ្ពស់", r"មិនត្រូវការបទពិសោធន៍"),),
            "my": ((r"(လစာကောင်း|လစာမြင့်)", r"အတွေ့အကြုံ\s*မလို"),),
        },
    ),
    Sign(
        code="vague_company",
        title=_("Vague or missing company details"),
        why=_(
            "Lures speak of 'a big international company' without its name, address or "
            "website, so that nobody can check it. Ask for the registered name and look it up."
        ),
        weight=1.0,
        rules={
            "en": (
                (
                    r"\b(big|large|well[-\s]known|famous|reputable|international|multinational)\s+(company|firm|employer|casino|group)\b(?!\s+(called|named|ltd|inc|limited))",
                ),
                (
                    r"\b(company\s+name|details)\b.{0,30}\b(later|on\s+arrival|after\s+(you\s+)?(arrive|interview))\b",
                ),
            ),
            "zh": (
                (
                    r"(大公司|正规大公司|知名公司|国际公司|大型集团|公司名.{0,6}(面谈|到了再说|私聊))",
                ),
            ),
            "th": ((r"(บริษัทใหญ่|บริษัทชั้นนำ|บริษัทต่างชาติ|บริษัทมั่นคง)",),),
            "vi": ((r"(cong ty lon|cong ty nuoc ngoai|tap doan lon|cong ty uy tin)",),),
            "id": ((r"(perusahaan (besar|ternama|terkenal|internasional|asing))",),),
            "km": ((r"ក្រុមហ៊ុនធំ",),),
            "my": ((r"ကုမ္ပဏီကြီး",),),
        },
    ),
    Sign(
        code="chat_app_contact",
        title=_("Contact only through a chat app"),
        why=_(
            "A recruiter who can only be reached by Telegram, WhatsApp, LINE or WeChat can "
            "vanish and change names at will; a real employer has an office, a phone line "
            "and an address you can visit."
        ),
        weight=1.0,
        rules={lang: ((_CHAT,), (r"(?<![\w.])@[a-z0-9_]{4,32}\b",)) for lang in ("en", "vi", "id")}
        | {
            "zh": (
                (_CHAT,),
                (r"(微信|飞机|电报|纸飞机|加v|\+v|vx|tg)[:：\s]",),
                (r"(?<![\w.])@[a-z0-9_]{4,32}",),
            ),
            "th": ((_CHAT,), (r"(ไลน์|แอดไลน์|เทเลแกรม|วอทส์แอพ)",)),
            "km": ((_CHAT,), (r"(តេឡេក្រាម|តេលេក្រាម)",)),
            "my": ((_CHAT,), (r"(တယ်လီဂရမ်|ဗိုက်ဘာ)",)),
        },
    ),
    Sign(
        code="compound_destination",
        title=_("A destination known for scam compounds"),
        why=_(
            "Sihanoukville, Bavet, Poipet, Myawaddy, Shwe Kokko, KK Park and the Golden "
            "Triangle are where people are held and forced to run online scams. An offer "
            "there needs checking with someone you trust before you go."
        ),
        weight=2.5,
        rules={
            "en": (
                (
                    r"\b(sihanouk\s?ville|preah\s+sihanouk|bavet|poipet|myawaddy|myawadi|golden\s+triangle|kk\s*park|shwe\s*kok+o|yatai|laukkaing|kokang|tachileik|mong\s*la|o'?smach|koh\s*kong|thakhek)\b",
                ),
            ),
            # The same names as the lures write them in Chinese (西港 is Sihanoukville).
            "zh": (
                (
                    r"(西港|西哈努克|巴域|木牌|波贝|波比|妙瓦底|金三角|kk园区|亚太新城|亚太城|果敢|老街|大其力|勐拉|迪拜园区)",
                ),
            ),
            "th": (
                (
                    r"(สีหนุวิลล์|สีหนุ|บาเวต|ปอยเปต|เมียวดี|สามเหลี่ยมทองคำ|ชเวโก๊กโก่|ชเวโก๊กโก|เคเคปาร์ค|ท่าขี้เหล็ก)",
                ),
            ),
            "vi": (
                (r"\b(sihanoukville|bavet|poipet|myawaddy|tam giac vang|kk park|shwe kokko)\b",),
            ),
            "id": (
                (r"\b(sihanoukville|bavet|poipet|myawaddy|segitiga emas|kk park|shwe kokko)\b",),
            ),
            "km": ((r"(ក្រុងព្រះសីហនុ|ខេត្តព្រះសីហនុ|បាវិត|ប៉ោយប៉ែត)",),),
            "my": ((r"(မြဝတီ|ရွှေကုက္ကို|ကေကေပါ့|တာချီလိတ်)",),),
        },
    ),
    Sign(
        code="scam_role",
        title=_("A role used to recruit for scam compounds"),
        why=_(
            "'Customer service', 'typing', 'data entry', 'game operator' and 'online "
            "marketing' are the job titles compounds advertise: on arrival the work is "
            "defrauding strangers online, under threat."
        ),
        weight=1.0,
        rules={
            "en": (
                (
                    r"\b(customer\s+service|typing\s+(job|work|staff)|typist|data\s+entry|game\s+(operator|tester|host)|online\s+(marketing|sales|chat)|chat\s+(agent|operator)|crypto\s+(sales|trader))\b",
                ),
            ),
            "zh": (
                (
                    r"(客服|打字员|打字|数据录入|录入员|游戏(运营|推广|陪玩)|网络(推广|营销|销售)|聊天员|业务员|币圈)",
                ),
            ),
            "th": (
                (
                    r"(พนักงานพิมพ์|พิมพ์งาน|คีย์ข้อมูล|บริการลูกค้า|แอดมิน|แอดมินเพจ|การตลาดออนไลน์|พนักงานแชท|เกมออนไลน์)",
                ),
            ),
            "vi": (
                (
                    r"(cham soc khach hang|danh may|nhap lieu|nhan vien game|van hanh game|marketing online|sale online|tu van vien online)",
                ),
            ),
            "id": (
                (
                    r"\b(customer service|operator game|admin (game|online)|entri data|input data|pengetik|marketing online|cs online)\b",
                ),
            ),
            # "Typing", "data entry", "customer service".
            "km": ((r"(វាយអក្សរ|បញ្ចូលទិន្នន័យ|សេវាអតិថិជន)",),),
            "my": ((r"(စာရိုက်|ဒေတာ\s*ထည့်|ဖောက်သည်ဝန်ဆောင်မှု)",),),
        },
    ),
    Sign(
        code="age_nationality_limit",
        title=_("Age or nationality limits"),
        why=_(
            "Lures ask for young people of one nationality because the compounds need them "
            "to scam people who speak their language, and because young people far from home "
            "are easier to control."
        ),
        weight=1.0,
        rules={
            "en": (
                (r"\b(ages?|aged)\b.{0,12}" + _AGE_RANGE,),
                (
                    r"\b(only|must\s+be)\s+(chinese|thai|vietnamese|indonesian|filipino|malaysian|burmese|lao|cambodian)\b",
                ),
                (
                    r"\b(chinese|thai|vietnamese|indonesian|filipino|malaysian)\s+(nationals?|citizens?|passport\s+holders?)\s+only\b",
                ),
            ),
            "zh": (
                (r"年龄.{0,6}" + _AGE_RANGE,),
                (r"(限|只要|只招).{0,4}(中国|国内|大陆|华人|本国)(人|籍|护照)?",),
                (r"\d{2}\s*(-|至|到)\s*\d{2}\s*(岁|周岁)",),
            ),
            "th": ((r"อายุ.{0,6}" + _AGE_RANGE,), (r"(เฉพาะ|รับเฉพาะ)(คน)?(ไทย|สัญชาติไทย)",)),
            "vi": (
                (r"(tuoi|do tuoi).{0,6}" + _AGE_RANGE,),
                (r"(chi tuyen|chi nhan).{0,10}(nguoi viet|quoc tich viet)",),
            ),
            "id": (
                (r"(usia|umur).{0,6}" + _AGE_RANGE,),
                (r"(khusus|hanya)\s+(wni|warga negara indonesia|orang indonesia)",),
            ),
            # "Age 18-35".
            "km": ((r"អាយុ.{0,6}" + _AGE_RANGE,),),
            "my": ((r"အသက်.{0,6}" + _AGE_RANGE,),),
        },
    ),
    Sign(
        code="passport_handover",
        title=_("Your passport handed over"),
        why=_(
            "Nobody but you should hold your passport. A recruiter or employer who keeps it "
            "controls whether you can ever leave; in most countries that is a crime."
        ),
        weight=2.5,
        rules={
            "en": (
                (r"\b(hand\s+over|give|surrender|send|leave|deposit)\b.{0,25}\bpassports?\b",),
                (
                    r"\bpassports?\b.{0,30}\b(kept|held|keep|hold|collected|retained)\b.{0,20}\b(by|with)\s+(the\s+)?(company|employer|us|agent|manager)\b",
                ),
                (r"\b(company|employer|we)\s+(will\s+)?(keep|hold)s?\b.{0,15}\bpassports?\b",),
            ),
            "zh": (
                (r"护照.{0,8}(交|上交|交给|由公司|公司保管|统一保管|扣)",),
                (r"(交|上交|扣押|保管).{0,6}护照",),
            ),
            "th": (
                (r"(ส่ง|ยึด|เก็บ|มอบ).{0,12}(พาสปอร์ต|หนังสือเดินทาง)",),
                (r"(พาสปอร์ต|หนังสือเดินทาง).{0,15}(บริษัทเก็บ|ให้บริษัท|ไว้ที่บริษัท)",),
            ),
            "vi": (
                (r"(nop|giao|gui|giu).{0,15}ho chieu",),
                (r"ho chieu.{0,20}(cong ty giu|cong ty quan ly|nop cho cong ty)",),
            ),
            "id": (
                (r"(serahkan|menyerahkan|dititipkan|ditahan|disimpan).{0,20}paspor",),
                (r"paspor.{0,20}(disimpan|ditahan|dipegang).{0,15}(perusahaan|agen)",),
            ),
            # "Hand over the passport to the company".
            "km": ((r"(ប្រគល់|ដាក់).{0,10}លិខិតឆ្លងដែន",), (r"លិខិតឆ្លងដែន.{0,15}ក្រុមហ៊ុន.{0,6}(រក្សាទុក|កាន់)",)),
            "my": ((r"(ပတ်စ်ပို့|နိုင်ငံကူးလက်မှတ်).{0,20}(ကုမ္ပဏီက\s*သိမ်း|အပ်ရ|အပ်ပေး)",),),
        },
    ),
    Sign(
        code="upfront_fee",
        title=_("Money asked up front"),
        why=_(
            "A fee for the visa, the training, the medical check or 'processing' before you "
            "start is a scam in itself, and a debt that traffickers later use against you."
        ),
        weight=1.5,
        rules={
            "en": (
                (
                    r"\b(pay|send|transfer|deposit)\b.{0,30}\b(fee|deposit|processing|registration|training\s+cost|visa\s+cost|upfront|in\s+advance)\b",
                ),
                (r"\b(registration|processing|application|training)\s+fees?\b",),
            ),
            "zh": ((r"(先交|预交|押金|报名费|手续费|培训费|保证金)",),),
            "th": ((r"(ค่าดำเนินการ|ค่าสมัคร|ค่ามัดจำ|โอนก่อน|จ่ายก่อน)",),),
            "vi": ((r"(phi ho so|tien coc|dat coc|phi dich vu|nop phi|chuyen khoan truoc)",),),
            "id": (
                (
                    r"(biaya pendaftaran|biaya administrasi|uang muka|transfer dulu|bayar dulu|deposit)",
                ),
            ),
            "km": ((r"(ប្រាក់កក់|ថ្លៃចុះឈ្មោះ)",),),
            "my": ((r"(စရံငွေ|ကြိုတင်ငွေ)",),),
        },
    ),
    Sign(
        code="pressure",
        title=_("Pressure to decide and leave at once"),
        why=_(
            "'Few places left', 'leave this week', 'don't tell your family': haste and secrecy "
            "stop you from checking the offer or telling anyone where you are going."
        ),
        weight=1.0,
        rules={
            "en": (
                (
                    r"\b(urgent(ly)?\s+(hiring|needed|recruit)|limited\s+(places|slots|seats)|leave\s+(this|next)\s+week|start\s+immediately|depart\s+(immediately|tomorrow)|don'?t\s+tell\s+(anyone|your\s+family))\b",
                ),
            ),
            "zh": ((r"(急招|急聘|名额有限|马上出发|立即出发|随时出发|不要告诉家人|包过)",),),
            "th": ((r"(ด่วน|รับจำนวนจำกัด|เดินทางได้ทันที|ออกเดินทางทันที|ห้ามบอกครอบครัว)",),),
            "vi": ((r"(tuyen gap|can gap|so luong co han|xuat canh ngay|di ngay)",),),
            "id": (
                (
                    r"\b(dibutuhkan segera|lowongan terbatas|kuota terbatas|berangkat (segera|secepatnya|minggu ini))\b",
                ),
            ),
            "km": ((r"ជ្រើសរើសបន្ទាន់",),),
            "my": ((r"အမြန်\s*လိုအပ်",),),
        },
    ),
)

SIGNS_BY_CODE = {sign.code: sign for sign in SIGNS}


@cache
def _compiled() -> tuple[tuple[Sign, str, tuple[re.Pattern[str], ...]], ...]:
    rules = []
    for sign in SIGNS:
        for lang, lang_rules in sign.rules.items():
            for rule in lang_rules:
                # Patterns get the text's NFKC too (Thai's SARA AM becomes two characters in it).
                compiled = tuple(
                    re.compile(unicodedata.normalize("NFKC", p), re.DOTALL) for p in rule
                )
                rules.append((sign, lang, compiled))
    return tuple(rules)


def detect(text: str, *, folded: bool = False) -> list[Hit]:
    """The signs found in ``text``, in the order of ``SIGNS``, each with its matched phrases."""
    folded_text = text if folded else fold(text)
    found: dict[str, tuple[list[str], list[str]]] = {}
    scripts = {lang for lang, script in _SCRIPTS.items() if script.search(folded_text)}
    for sign, lang, patterns in _compiled():
        if lang in _SCRIPTS and lang not in scripts:
            continue
        matches = []
        for pattern in patterns:
            match = pattern.search(folded_text)
            if match is None:
                break
            matches.append(match.group(0).strip())
        else:
            languages, phrases = found.setdefault(sign.code, ([], []))
            if lang not in languages:
                languages.append(lang)
            phrases.extend(p for p in matches if p not in phrases)
    return [
        Hit(sign=sign, languages=tuple(found[sign.code][0]), phrases=tuple(found[sign.code][1][:4]))
        for sign in SIGNS
        if sign.code in found
    ]


def signs_score(hits: Sequence[Hit]) -> float:
    """The weight of the signs found, between 0 and 1 (1 from a total weight of 6 up)."""
    return min(1.0, sum(hit.sign.weight for hit in hits) / 6.0)
