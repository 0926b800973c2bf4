"""Fictional places and message texts: reports, rejected requests, reasons and notes."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from lifeline.core.demo.journeys import S


@dataclass(frozen=True)
class Place:
    english: str
    local: dict[str, str]
    details: tuple[str, ...]

    def text(self, rng: random.Random, language: str) -> str:
        return f"{self.local.get(language, self.english)}, {rng.choice(self.details)}"


# fmt: off
PLACES = (
    Place("Sihanoukville", {"zh": "西港", "th": "สีหนุวิลล์"},
          ("building C, 5th floor", "compound behind the casino hotel", "tower block near Otres road",
           "gated compound with barbed wire on the walls")),
    Place("Bavet", {"zh": "巴域", "th": "บาเวต"},
          ("compound next to the border casinos", "dormitory block, 3rd floor", "blue building with CCTV")),
    Place("Poipet", {"zh": "波贝", "th": "ปอยเปต"},
          ("casino strip near the border gate", "office above a karaoke bar", "compound with guards at the gate")),
    Place("Phnom Penh", {"zh": "金边", "th": "พนมเปญ"},
          ("Chroy Changvar, apartment tower", "office block near the airport road", "satellite city compound")),
    Place("Myawaddy (KK Park)", {"zh": "妙瓦底 KK园区", "th": "เมียวดี (เคเคปาร์ค)"},
          ("building 8, near the river", "dormitory behind the office towers", "new block in the south of the park")),
    Place("Shwe Kokko, Myawaddy", {"zh": "妙瓦底 亚太新城", "th": "ชเวโก๊กโก่ เมียวดี"},
          ("tower 3", "compound by the Moei river", "hotel converted into offices")),
    Place("Golden Triangle SEZ, Bokeo", {"zh": "金三角经济特区", "th": "เขตเศรษฐกิจพิเศษสามเหลี่ยมทองคำ"},
          ("casino district", "office compound near the port", "block with a red roof")),
    Place("O'Smach", {"zh": "奥斯马", "th": "โอสมัช"}, ("casino resort on the border", "compound on the hill")),
)

SIGN_WEIGHTS = {
    "locked_in": 30, "passport_taken": 25, "beaten": 18, "threatened": 15, "debt_demanded": 15,
    "electrocution_threat": 6, "injured": 5, "about_to_be_moved": 6,
}

# One phrase per danger sign in each language, plus openings, lures and closings. Subject-less
# where the language allows, so that they fit a self-report and a family report alike.
WORDS: dict[str, dict[str, Any]] = {
    "zh": {
        "self": "我在{place}。", "family": "我儿子在{place}。", "friend": "我朋友在{place}，联系不上家里。",
        "locked_in": "被关在园区里，不让出去。", "beaten": "完不成业绩就挨打。",
        "electrocution_threat": "他们威胁要用电棍电人。", "threatened": "老板威胁不准报警。",
        "passport_taken": "护照被公司收走了。", "debt_demanded": "公司要赔三万美金才放人。",
        "injured": "逃跑时摔伤了腿，走不了路。", "about_to_be_moved": "听说这几天要被转卖到别的园区。",
        "lures": ["说是高薪的打字员工作，机票都是公司出的。", "在Telegram上看到招聘客服的广告，说月薪一万五。",
                  "朋友介绍去做游戏推广，不需要经验。"],
        "closings": ["求求你们帮帮忙。", "请救救他。", ""],
    },
    "th": {
        "self": "ผมอยู่ที่{place}", "family": "ลูกชายของฉันอยู่ที่{place}", "friend": "เพื่อนของฉันอยู่ที่{place}",
        "locked_in": "ถูกขังไว้ในตึก ออกไปไหนไม่ได้", "beaten": "ถ้าทำยอดไม่ถึงจะถูกทุบตี",
        "electrocution_threat": "ถูกขู่ว่าจะช็อตไฟฟ้า", "threatened": "ถูกข่มขู่ไม่ให้แจ้งตำรวจ",
        "passport_taken": "หนังสือเดินทางถูกยึดไป", "debt_demanded": "บริษัทเรียกเงินสามแสนบาทถึงจะปล่อยตัว",
        "injured": "ได้รับบาดเจ็บที่ขา เดินไม่ได้", "about_to_be_moved": "ได้ยินว่าจะถูกขายต่อไปอีกบริษัทหนึ่ง",
        "lures": ["ตอนแรกบอกว่าเป็นงานแอดมินเงินเดือนดี ออกค่าตั๋วเครื่องบินให้", "เห็นโฆษณารับสมัครงานใน Facebook"],
        "closings": ["ช่วยด้วยค่ะ", "ขอความช่วยเหลือด่วน", ""],
    },
    "vi": {
        "self": "Tôi đang ở {place}.", "family": "Con trai tôi đang bị giữ ở {place}.",
        "friend": "Bạn tôi đang ở {place}.",
        "locked_in": "Bị nhốt trong khu, không được ra ngoài.", "beaten": "Không đạt chỉ tiêu là bị đánh.",
        "electrocution_threat": "Bọn họ dọa chích điện.", "threatened": "Bị đe dọa nếu báo công an.",
        "passport_taken": "Hộ chiếu bị công ty giữ.", "debt_demanded": "Công ty đòi 10.000 đô la tiền chuộc.",
        "injured": "Bị thương ở chân, không đi được.", "about_to_be_moved": "Nghe nói sắp bị bán sang công ty khác.",
        "lures": ["Họ hứa việc làm lương cao, bao vé máy bay.", "Thấy quảng cáo tuyển dụng trên Facebook."],
        "closings": ["Xin hãy giúp đỡ.", ""],
    },
    "id": {
        "self": "Saya sekarang di {place}.", "family": "Adik saya disekap di {place}.",
        "friend": "Teman saya ada di {place}.",
        "locked_in": "Dikurung di dalam gedung, tidak boleh keluar.", "beaten": "Kalau tidak capai target dipukuli.",
        "electrocution_threat": "Diancam akan disetrum.", "threatened": "Diancam kalau lapor polisi.",
        "passport_taken": "Paspornya ditahan perusahaan.", "debt_demanded": "Perusahaan minta tebusan 8.000 dolar.",
        "injured": "Kakinya luka, tidak bisa jalan.", "about_to_be_moved": "Katanya akan dijual ke perusahaan lain.",
        "lures": ["Dijanjikan kerja admin gaji besar, tiket pesawat dibayar.", "Lihat lowongan kerja di Telegram."],
        "closings": ["Tolong bantu kami.", ""],
    },
    "en": {
        "self": "I am in {place}.", "family": "My son is held in {place}.", "friend": "My friend is in {place}.",
        "locked_in": "Locked inside the compound, not allowed to leave.",
        "beaten": "People who miss their targets are beaten.",
        "electrocution_threat": "The bosses threaten to use electric batons.",
        "threatened": "Told the family will be harmed if anyone calls the police.",
        "passport_taken": "The company took the passport.",
        "debt_demanded": "The company demands USD 8,000 before letting anyone go.",
        "injured": "Injured and cannot walk.",
        "about_to_be_moved": "Heard they will be sold to another compound this week.",
        "lures": ["It was advertised as a well-paid data entry job, flights paid, no experience needed.",
                  "Recruited through a Telegram job group for customer service work.",
                  "A friend offered a job in a casino hotel."],
        "closings": ["Please help.", ""],
    },
}
WORDS["my"] = {**WORDS["en"], "closings": ["ကူညီပေးပါ", "Please help."]}

SPAM_TEXTS = [
    "Part-time job! Earn 300-800 USDT a day from home, no experience. Contact @fastjob_admin now.",
    "Crypto investment group, guaranteed 20% a week. Join: t.me/profit_signals_vip",
]
NOT_TRAFFICKING_TEXTS = [
    "My brother's employer in Bangkok has not paid him for two months. He is free to leave.",
    "Asking how to renew a work permit in Phnom Penh.",
]
OUT_OF_SCOPE_TEXTS = ["Need help with a visa overstay fine in Japan.", "Looking for a lawyer for a divorce."]
REJECTED_TEXTS = {"spam": SPAM_TEXTS, "not_trafficking": NOT_TRAFFICKING_TEXTS, "out_of_scope": OUT_OF_SCOPE_TEXTS}

MOVE_REASONS = {
    S.VERIFYING: ["Report received; checking the details with the family.", "Call-back planned to confirm identity."],
    S.LOCATED: ["Compound identified from photos and a shared location.", "Partner network confirmed the building."],
    S.RESCUE_PLANNED: ["Plan agreed with the embassy and the partner network.", "Pick-up point and date agreed."],
    S.RESCUED: ["Out of the compound; picked up by the partner team.", "Escaped and reached the border checkpoint."],
    S.SHELTERED: ["Placed in the partner shelter.", "In the shelter; medical check booked."],
    S.REPATRIATING: ["Travel document issued; flight booked.", "Exit fine paid; bus to the border booked."],
    S.HOME: ["Arrived home; family confirmed.", "Back home; follow-up call in two weeks."],
    S.CLOSED: ["Follow-up completed.", "Not a trafficking situation; referred to a labour NGO."],
    S.LOST_CONTACT: ["No reply on any channel for seven days.", "Phone switched off since the last call."],
    S.MOVED: ["Moved to another compound before the raid.", "Sold on to another company across the border."],
    S.DETAINED: ["Held by immigration police after leaving the compound.", "Detained for overstay at the border."],
    S.DECLINED_HELP: ["Does not want help at this time.", "Prefers to finish the contract; safety plan shared."],
}

NOTES = {
    "early": [
        ("contact", "Short call at night; the phone is hidden, messages only after the guards change shifts."),
        ("contact", "Sent photos of the building and a shared location pin."),
        ("note", "Family sent a passport copy and a screenshot of the job advert."),
        ("note", "Cross-checked the compound with the partner network's list."),
        ("location", ""),
    ],
    "operation": [
        ("note", "Embassy consular desk informed; waiting for a contact person."),
        ("note", "Partner team checked the access road; guards at the gate day and night."),
        ("contact", "Agreed a signal for the day of the rescue."),
    ],
    "after": [
        ("note", "Medical check done; minor injuries treated."),
        ("contact", "Called the family to confirm the arrival date."),
        ("note", "Statement taken by the anti-trafficking police with an interpreter."),
        ("contact", "Check-in call: safe, looking for work locally."),
    ],
}
_PHASE = {S.REPORTED: "early", S.VERIFYING: "early", S.LOST_CONTACT: "early", S.MOVED: "early",
          S.DECLINED_HELP: "early", S.LOCATED: "operation", S.RESCUE_PLANNED: "operation"}
# fmt: on
