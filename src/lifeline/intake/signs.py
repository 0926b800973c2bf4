"""Danger signs read from the words of a message, in the languages the public pages offer.

A coordinator sees these beside the signs the sender ticked; they only raise the suggested
urgency (lifeline.cases.workflow.suggested_urgency), never lower it."""

from lifeline.cases.workflow import UrgencyReason

R = UrgencyReason
# Lower-case fragments; scripts without spaces between words are matched as substrings.
KEYWORDS: dict[str, tuple[str, ...]] = {
    R.INJURED: (
        "injured", "bleeding", "hospital", "受伤", "流血", "บาดเจ็บ", "เลือดออก", "bị thương",
        "chảy máu", "terluka", "luka", "berdarah", "របួស", "ဒဏ်ရာ",
    ),
    R.BEATEN: (
        "beaten", "beat me", "tortur", "hit me", "打我", "被打", "殴打", "ทุบตี", "ซ้อม",
        "ถูกตี", "bị đánh", "đánh đập", "tra tấn", "dipukul", "disiksa", "វាយ", "ធ្វើទារុណកម្ម",
        "ရိုက်", "နှိပ်စက်",
    ),
    R.ELECTROCUTION: ("electric", "taser", "电击", "电棍", "ไฟช็อต", "chích điện", "disetrum", "ឆក់", "လျှပ်စစ်"),
    R.THREATENED: (
        "threat", "kill me", "威胁", "杀了", "ขู่", "đe dọa", "giết", "diancam", "dibunuh",
        "គំរាម", "ခြိမ်းခြောက်",
    ),
    R.LOCKED_IN: (
        "locked", "cannot leave", "can't leave", "关起来", "不让走", "出不去", "ขังไว้", "ออกไม่ได้",
        "bị nhốt", "không được ra", "dikurung", "disekap", "tidak boleh keluar", "ឃុំ",
        "ចេញមិនបាន", "ပိတ်ထား", "ထွက်လို့မရ",
    ),
    R.PASSPORT_TAKEN: (
        "passport", "护照", "หนังสือเดินทาง", "พาสปอร์ต", "hộ chiếu", "paspor", "លិខិតឆ្លងដែន",
        "ပတ်စပို့",
    ),
    R.DEBT_DEMANDED: (
        "ransom", "debt", "pay money", "赎金", "赔钱", "欠", "ค่าไถ่", "หนี้", "tiền chuộc", "nợ",
        "tebusan", "utang", "hutang", "លោះ", "បំណុល", "ပြန်ပေး", "အကြွေး",
    ),
    R.ABOUT_TO_BE_MOVED: (
        "sold", "moved to", "transfer", "卖掉", "转卖", "被卖", "ขายต่อ", "ย้ายไป", "bán sang",
        "bị chuyển", "dijual", "dipindah", "លក់ទៅ", "ផ្ទេរ", "ရောင်း", "ပြောင်း",
    ),
}  # fmt: skip


def signs_in_text(text: str) -> list[str]:
    """The danger signs whose words appear in ``text``, in vocabulary order."""
    lowered = (text or "").casefold()
    return [code for code, words in KEYWORDS.items() if any(word in lowered for word in words)]
