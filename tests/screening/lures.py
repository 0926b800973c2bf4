"""Example lure texts WRITTEN FOR THE TESTS, one per warning sign and language.

They imitate the phrasing of recruitment lures but none is a collected offer, and nothing here
is a measurement of how well the signs find real lures (see bench/screening.py for the figures
on real, labelled postings, which are in English only).
"""

EXAMPLES: dict[str, dict[str, str]] = {
    "overseas_travel_paid": {
        "en": "Work in Cambodia, free flight ticket and visa provided by the company.",
        "zh": "柬埔寨高薪工作，公司报销机票，签证全包。",
        "th": "งานต่างประเทศ บริษัทออกให้ ตั๋วเครื่องบิน และวีซ่า",
        "vi": "Việc làm ở Campuchia, công ty chịu vé máy bay và visa.",
        "id": "Kerja di Kamboja, tiket pesawat dan visa ditanggung perusahaan.",
        "km": "ការងារនៅបរទេស ក្រុមហ៊ុនចេញថ្លៃសំបុត្រយន្តហោះ",
        "my": "ထိုင်းနိုင်ငံတွင် အလုပ်၊ လေယာဉ်လက်မှတ် အခမဲ့",
    },
    "high_pay_no_experience": {
        "en": "Earn up to $3,000 a month, no experience needed.",
        "zh": "月薪15000起，无需经验，包吃住。",
        "th": "เงินเดือน 45,000 บาท ไม่ต้องมีประสบการณ์",
        "vi": "Lương 25 triệu/tháng, không cần kinh nghiệm.",
        "id": "Gaji 12 juta per bulan, tanpa pengalaman.",
        "km": "ប្រាក់ខែខ្ពស់ មិនត្រូវការបទពិសោធន៍",
        "my": "လစာကောင်း အတွေ့အကြုံမလိုပါ",
    },
    "vague_company": {
        "en": "A large international company is hiring, details on arrival.",
        "zh": "正规大公司招聘，公司名面谈。",
        "th": "บริษัทใหญ่ รับสมัครพนักงานหลายตำแหน่ง",
        "vi": "Công ty lớn tuyển nhân viên gấp.",
        "id": "Perusahaan besar membuka lowongan.",
        "km": "ក្រុមហ៊ុនធំ ត្រូវការបុគ្គលិក",
        "my": "ကုမ္ပဏီကြီး တွင် ဝန်ထမ်းခေါ်ယူမည်",
    },
    "chat_app_contact": {
        "en": "Interested? Message me on Telegram @goodjob_hr",
        "zh": "有意者加微信：abc12345",
        "th": "สนใจ แอดไลน์ มาได้เลย",
        "vi": "Liên hệ Zalo 0901 234 567 để biết thêm.",
        "id": "Hubungi WhatsApp kami sekarang.",
        "km": "ទាក់ទងតាម តេឡេក្រាម",
        "my": "တယ်လီဂရမ် မှ ဆက်သွယ်ပါ",
    },
    "compound_destination": {
        "en": "Office in Sihanoukville, near the beach.",
        "zh": "西港园区招聘，环境好。",
        "th": "ทำงานที่ เมียวดี ใกล้ชายแดน",
        "vi": "Làm việc tại Bavet, gần biên giới.",
        "id": "Penempatan di Poipet, dekat perbatasan.",
        "km": "ធ្វើការនៅក្រុងព្រះសីហនុ",
        "my": "မြဝတီ တွင် အလုပ်",
    },
    "scam_role": {
        "en": "Position: data entry and customer service.",
        "zh": "招聘打字员和客服。",
        "th": "รับสมัคร พนักงานพิมพ์ และ แอดมิน",
        "vi": "Tuyển nhân viên nhập liệu, đánh máy.",
        "id": "Dibutuhkan operator game dan customer service.",
        "km": "ការងារវាយអក្សរ និងបញ្ចូលទិន្នន័យ",
        "my": "စာရိုက် ဝန်ထမ်း ခေါ်ယူမည်",
    },
    "age_nationality_limit": {
        "en": "Aged 18-30, only Vietnamese applicants.",
        "zh": "年龄18-35岁，限中国籍。",
        "th": "อายุ 20-35 ปี เฉพาะคนไทย",
        "vi": "Độ tuổi 18-32, chỉ tuyển người Việt.",
        "id": "Usia 18-30 tahun, khusus WNI.",
        "km": "អាយុ 18-35 ឆ្នាំ",
        "my": "အသက် 18-30 နှစ်",
    },
    "passport_handover": {
        "en": "On arrival you must hand over your passport to the manager.",
        "zh": "到达后护照交公司统一保管。",
        "th": "ต้องส่งพาสปอร์ต ให้บริษัทเก็บไว้",
        "vi": "Khi đến phải nộp hộ chiếu cho công ty giữ.",
        "id": "Paspor disimpan oleh perusahaan selama kontrak.",
        "km": "ត្រូវប្រគល់លិខិតឆ្លងដែនឱ្យក្រុមហ៊ុន",
        "my": "ပတ်စ်ပို့ကို ကုမ္ပဏီက သိမ်းထားမည်",
    },
    "upfront_fee": {
        "en": "A small registration fee is required before departure.",
        "zh": "先交押金2000元。",
        "th": "มีค่าดำเนินการ 3,000 บาท",
        "vi": "Đặt cọc 2 triệu trước khi đi.",
        "id": "Ada biaya pendaftaran sebelum berangkat.",
        "km": "ត្រូវបង់ប្រាក់កក់មុន",
        "my": "စရံငွေ ကြိုပေးရမည်",
    },
    "pressure": {
        "en": "Urgently hiring! Limited places, leave this week.",
        "zh": "急招！名额有限，马上出发。",
        "th": "ด่วน! รับจำนวนจำกัด",
        "vi": "Tuyển gấp, số lượng có hạn.",
        "id": "Dibutuhkan segera, kuota terbatas.",
        "km": "ជ្រើសរើសបន្ទាន់",
        "my": "ဝန်ထမ်း အမြန်လိုအပ်",
    },
}

# Ordinary texts, also written for the tests: no sign may be found in them.
PLAIN: dict[str, str] = {
    "en": "The library opens at nine. Children's books are on the second floor.",
    "zh": "图书馆九点开门，儿童图书在二楼。",
    "th": "ห้องสมุดเปิดเก้าโมง หนังสือเด็กอยู่ชั้นสอง",
    "vi": "Thư viện mở cửa lúc chín giờ. Sách thiếu nhi ở tầng hai.",
    "id": "Perpustakaan buka jam sembilan. Buku anak ada di lantai dua.",
    "km": "បណ្ណាល័យបើកម៉ោងប្រាំបួន",
    "my": "စာကြည့်တိုက်သည် ကိုးနာရီတွင် ဖွင့်သည်",
}

# A complete lure, for the screening, API and CLI tests.
LURE_EN = (
    "URGENT HIRING! Customer service and data entry staff for a large international company in "
    "Sihanoukville. Earn up to $2,500 a month, no experience needed. Free flight ticket and visa "
    "provided. Age 18-35. Contact Telegram @easyjob_hr"
)
