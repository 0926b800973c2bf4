"""Demo lure library: job offers in the style of the recruitment lures the reporting describes,
reposted with another salary or town, seen in the places the demo victims came from, some of
them attached to the demo cases they recruited. Added through the screening services, so they
are screened, their recruiters' identifiers extracted and their campaigns grouped as real ones.

Every offer, handle, company and wallet here is invented.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from lifeline.accounts.models import Membership
from lifeline.accounts.roles import Role
from lifeline.cases.models import Case
from lifeline.core.vocabularies import MethodOfRecruitment
from lifeline.screening.models import LureSource, Platform
from lifeline.screening.services import lure_add


@dataclass(frozen=True)
class Seen:
    country: str
    town: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class DemoCampaign:
    template: str  # {salary} and {town} change from one posting to the next
    salaries: tuple[str, ...]
    towns: tuple[str, ...]
    platforms: tuple[str, ...]
    seen: tuple[Seen, ...]
    groups: tuple[str, ...]  # the group or page it was posted in
    postings: int


KUNMING = Seen("CN", "Kunming", 25.0389, 102.7183)
NANNING = Seen("CN", "Nanning", 22.8170, 108.3665)
BANGKOK = Seen("TH", "Bangkok", 13.7563, 100.5018)
CHIANG_RAI = Seen("TH", "Chiang Rai", 19.9105, 99.8406)
HO_CHI_MINH_CITY = Seen("VN", "Ho Chi Minh City", 10.8231, 106.6297)
NGHE_AN = Seen("VN", "Vinh", 18.6796, 105.6813)
MEDAN = Seen("ID", "Medan", 3.5952, 98.6722)
JAKARTA = Seen("ID", "Jakarta", -6.2088, 106.8456)
MANILA = Seen("PH", "Manila", 14.5995, 120.9842)

# One handle recurs in two templates: the same recruiter working two audiences.
SHARED_HANDLE = "kimphat_hr"

CAMPAIGNS = (
    DemoCampaign(
        template=(
            "{town}高薪招聘客服、打字员，月薪{salary}元起，无需经验，公司报销机票，签证全包，"
            "包吃住。年龄18-35岁。有意者加微信：hongyun_hr2024 或 Telegram @hongyun_zhaopin。"
            "西港鸿运网络科技有限公司"
        ),
        salaries=("12000", "15000", "18000"),
        towns=("柬埔寨西港", "西港", "金边"),
        platforms=(Platform.WECHAT, Platform.TELEGRAM, Platform.FACEBOOK),
        seen=(KUNMING, NANNING),
        groups=("云南老乡求职群", "南宁招聘信息", "海外高薪工作"),
        postings=6,
    ),
    DemoCampaign(
        template=(
            "รับสมัคร แอดมิน พนักงานพิมพ์ ทำงานที่ {town} เงินเดือน {salary} บาท "
            "ไม่ต้องมีประสบการณ์ บริษัทออกค่าตั๋วเครื่องบิน และวีซ่า มีที่พักให้ อายุ 20-35 ปี "
            "สนใจแอดไลน์ ไลน์: @goldenwork88"
        ),
        salaries=("35,000", "40,000", "45,000"),
        towns=("เมียวดี", "ปอยเปต"),
        platforms=(Platform.FACEBOOK, Platform.LINE, Platform.TIKTOK),
        seen=(BANGKOK, CHIANG_RAI),
        groups=("หางานต่างประเทศ รายได้ดี", "งานด่วน เชียงราย"),
        postings=5,
    ),
    DemoCampaign(
        template=(
            "Tuyển gấp nhân viên chăm sóc khách hàng, nhập liệu tại {town}. Lương {salary} "
            "triệu/tháng, không cần kinh nghiệm, công ty bao vé máy bay và visa. Độ tuổi 18-32. "
            "Liên hệ Telegram @" + SHARED_HANDLE + ". Công ty TNHH Kim Phát"
        ),
        salaries=("20", "25", "30"),
        towns=("Bavet", "Campuchia", "Sihanoukville"),
        platforms=(Platform.FACEBOOK, Platform.TELEGRAM),
        seen=(HO_CHI_MINH_CITY, NGHE_AN),
        groups=("Việc làm lương cao Nghệ An", "Tuyển dụng Sài Gòn"),
        postings=5,
    ),
    DemoCampaign(
        template=(
            "Lowongan kerja customer service dan operator game di {town}, gaji {salary} juta per "
            "bulan, tanpa pengalaman, tiket pesawat dan visa ditanggung perusahaan. Usia 18-30 "
            "tahun. Hubungi Telegram @mitrasukses_hrd. PT Mitra Sukses Global"
        ),
        salaries=("12", "15"),
        towns=("Kamboja", "Myawaddy", "Phnom Penh"),
        platforms=(Platform.FACEBOOK, Platform.JOB_BOARD, Platform.WHATSAPP),
        seen=(MEDAN, JAKARTA),
        groups=("Info Loker Medan", "Lowongan Luar Negeri"),
        postings=4,
    ),
    DemoCampaign(
        template=(
            "Urgent hiring: data entry and customer service staff in {town}. Earn ${salary} a "
            "month, no experience needed, free flight ticket and visa provided by the company. "
            "On arrival the passport is kept by the company for the work permit. Training deposit "
            "by USDT TRC20 to TNPeEoYRkzDnTgmQ1YyqGs7GQwgoM7YP8c. Contact Telegram @"
            + SHARED_HANDLE
        ),
        salaries=("2,500", "3,000", "3,500"),
        towns=("Sihanoukville", "Phnom Penh"),
        platforms=(Platform.TELEGRAM, Platform.FACEBOOK, Platform.JOB_BOARD),
        seen=(MANILA, JAKARTA),
        groups=("Jobs Abroad Asia", "Overseas Jobs Hiring Now"),
        postings=4,
    ),
)
# How many of each campaign's postings each organisation keeps (Golden Bridge sees fewer).
SHARE = {"mekong": 1.0, "goldenbridge": 0.5}
OTHER_SOURCES = (LureSource.MONITORING, LureSource.PARTNER, LureSource.REPORT)


def add_demo_lures(*, members: dict[str, Membership], rng: random.Random, now: dt.datetime) -> int:
    """The organisation's lure library; returns how many offers were added. Call inside its
    scope, after its cases exist."""
    coordinator = next(m for m in members.values() if m.role == Role.COORDINATOR)
    recruited = list(
        Case.objects.filter(
            organisation=coordinator.organisation,
            recruitment_method=MethodOfRecruitment.ONLINE_ADVERTISEMENT,
        ).order_by("pk")
    )
    rng.shuffle(recruited)
    added = 0
    share = SHARE.get(coordinator.organisation.slug, 1.0)
    for campaign in CAMPAIGNS:
        for posting in range(max(1, round(campaign.postings * share))):
            seen = rng.choice(campaign.seen)
            # Two postings of each campaign came with a case it recruited; the others were
            # collected by monitoring, partners and reports.
            case = recruited.pop() if posting < 2 and recruited else None
            lure_add(
                actor=coordinator,
                text=campaign.template.format(
                    salary=rng.choice(campaign.salaries), town=rng.choice(campaign.towns)
                ),
                source=LureSource.CASE if case else rng.choice(OTHER_SOURCES),
                platform=rng.choice(campaign.platforms),
                seen_on=(now - dt.timedelta(days=rng.randint(5, 320))).date(),
                seen_where=rng.choice(campaign.groups),
                country=seen.country,
                town=seen.town,
                latitude=round(seen.latitude + rng.uniform(-0.05, 0.05), 4),
                longitude=round(seen.longitude + rng.uniform(-0.05, 0.05), 4),
                case=case,
            )
            added += 1
    return added
