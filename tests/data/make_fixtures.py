"""Write the ingest fixtures under tests/data/ (bad inputs, encodings, JSON/JSONL/zip records).

Run from the project root: `python tests/data/make_fixtures.py`. The output is deterministic (fixed zip
timestamps), so re-running it leaves the committed files unchanged. Every Arabic text here is written
by hand for the tests; none is copied from a corpus. `good/article.html` and `bad/malformed.html` are
hand-written files, not generated.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
BAD = HERE / "bad"
GOOD = HERE / "good"
ENC = HERE / "encodings"

RAIN = (
    "الأمطار الغزيرة تغلق طرقاً رئيسية في شمال البلاد\n"
    "\n"
    "أغلقت السلطات المحلية، صباح الخميس، عدداً من الطرق الرئيسية في المحافظات الشمالية بعد هطول أمطار "
    "غزيرة استمرت طوال الليل، وفق ما أعلنت إدارة الدفاع المدني.\n"
    "\n"
    "وقال متحدث باسم الإدارة إن فرق الإنقاذ تعاملت مع أكثر من أربعين بلاغاً، من دون تسجيل إصابات خطيرة.\n"
)

LIBRARY = (
    "افتتاح أول مكتبة عامة رقمية في المدينة\r\n"
    "\r\n"
    "افتتح رئيس البلدية، مساء الأحد، أول مكتبة عامة رقمية في المدينة، تضم أكثر من عشرة آلاف كتاب "
    "إلكتروني متاح مجاناً للسكان.\r\n"
    "\r\n"
    "وأوضح أن المكتبة ستفتح أبوابها يومياً من التاسعة صباحاً حتى العاشرة مساءً.\r\n"
)

MARKET = (
    "ارتفاع أسعار الخضار في الأسواق المركزية\n"
    "\n"
    "شهدت الأسواق المركزية ارتفاعاً ملحوظاً في أسعار الخضار خلال الأسبوع الجاري، وعزا التجار ذلك إلى "
    "تراجع الإنتاج المحلي بسبب موجة الحر.\n"
)

FRENCH = (
    "Le ministre a déclaré à Marrakech que la coalition était prête à poursuivre ses efforts.\n"
    "Les délégués ont évoqué la sécurité régionale et la coopération économique.\n"
)

ONLY_DEBRIS = (
    "أخبار\n"
    "\n"
    "تاريخ النشر: 10 مايو 2022 22:45 GMT\n"
    "\n"
    "+A -A\n"
    "\n"
    "شارك المقال\n"
    "\n"
    "حمل تطبيق الخبر اليوم على هاتفك\n"
    "\n"
    "مقالات متعلقة\n"
    "\n"
    "×\n"
)

RECORDS = [
    {
        "id": "rec-1",
        "source": "الوطن اليوم",
        "url": "https://watan-today.example/news/1",
        "title": "افتتاح معرض الكتاب الدولي بمشاركة واسعة",
        "text": "افتتح وزير الثقافة، صباح الأربعاء، معرض الكتاب الدولي بمشاركة أكثر من ثلاثمئة دار نشر "
        "من عشرين دولة.\nويستمر المعرض عشرة أيام، وتقام على هامشه ندوات وأمسيات شعرية.",
        "published": "2022-05-11T09:30:00+03:00",
        "author": "ليلى حسن",
    },
    {
        "outlet": "صدى الخليج",
        "url": "https://sada-alkhaleej.example/news/2",
        "title": "أسعار النفط ترتفع مع تراجع المخزونات",
        "content": "ارتفعت أسعار النفط في تعاملات الخميس بعد بيانات أظهرت تراجع المخزونات الأمريكية "
        "للأسبوع الثالث على التوالي.",
        "date": "2022-05-12",
    },
    {
        "site": "نبض الشارع",
        "body": "نظم متطوعون حملة لتنظيف الشاطئ الجنوبي، وجمعوا أكثر من طنين من النفايات البلاستيكية "
        "خلال يوم واحد.",
        "date_extracted": "2022-05-12 08:00:00",
    },
    {
        "text": "أطلقت البلدية تطبيقاً جديداً لتلقي شكاوى السكان حول الإنارة والطرق، على أن ترد على كل "
        "شكوى خلال ثمانٍ وأربعين ساعة.\n\nحمّل تطبيق نبض المدينة على هاتفك",
        "url": "https://nabd-city.example/a/4",
    },
    {
        "text": "أعلنت وزارة الصحة بدء حملة التطعيم الموسمية في جميع المراكز الصحية اعتباراً من الأحد "
        "المقبل.",
        "url": "https://www.akhbar.example/health/5",
    },
]

TRUNCATED_GOOD = [
    {
        "id": "t-1",
        "source": "الوطن اليوم",
        "title": "تدشين خط حافلات جديد",
        "text": "دشنت هيئة النقل خط حافلات جديداً يربط وسط المدينة بالمطار، بمعدل رحلة كل عشرين دقيقة.",
        "published": "2022-05-10",
    },
    {
        "id": "t-2",
        "source": "صدى الخليج",
        "title": "إغلاق مؤقت لجسر الميناء",
        "text": "أعلنت إدارة المرور إغلاق جسر الميناء ليلتي الجمعة والسبت لأعمال الصيانة الدورية.",
        "published": "2022-05-10",
    },
]

NO_TEXT = [
    {
        "source": "الوطن اليوم",
        "title": "فوز المنتخب الوطني في مباراة ودية",
        "text": "فاز المنتخب الوطني على نظيره الضيف بهدفين مقابل هدف في مباراة ودية أقيمت مساء الثلاثاء.",
        "date": "2022-05-10",
    },
    {"source": "صدى الخليج", "title": "عنوان بلا نص", "date": "2022-05-10"},
    {
        "source": "نبض الشارع",
        "title": "افتتاح حديقة عامة",
        "content": "افتتحت البلدية حديقة عامة جديدة في الحي الشرقي تضم ملاعب للأطفال ومسارات للمشي.",
        "date": "2022-05-10",
    },
]

# SaudiNewsNet-shaped records (field names and date format as in the corpus), hand-written text.
DAY = [
    {
        "source": "watan-today",
        "url": "https://watan-today.example/2022/05/11/a",
        "date_extracted": "2022-05-11 01:00:00",
        "title": "بدء التسجيل في برنامج التدريب الصيفي",
        "author": "الرياض - سارة علي",
        "content": " سارة علي – الرياض\n بدأت وزارة العمل، اليوم، استقبال طلبات التسجيل في برنامج التدريب "
        "الصيفي للطلاب، الذي يستمر ثمانية أسابيع في مئتي منشأة خاصة.\n وأوضحت الوزارة أن التسجيل "
        "متاح عبر موقعها الإلكتروني حتى نهاية الشهر.",
    },
    {
        "source": "sada",
        "url": "https://sada-alkhaleej.example/2022/05/11/b",
        "date_extracted": "2022-05-11 01:00:05",
        "title": "ارتفاع درجات الحرارة في المنطقة الشرقية",
        "author": "",
        "content": "توقعت هيئة الأرصاد ارتفاعاً في درجات الحرارة على المنطقة الشرقية خلال الأيام الثلاثة "
        "المقبلة، لتتجاوز خمساً وأربعين درجة مئوية في بعض المحافظات.",
    },
    {
        "source": "sada",
        "url": "https://sada-alkhaleej.example/2022/05/11/c",
        "date_extracted": "2022-05-11 01:00:09",
        "title": "خبر بلا محتوى",
        "author": "",
        "content": "",
    },
]

# A Windows-1256 page as older Arabic CMSs serve it: the charset declared in an http-equiv meta, and
# more CSS and JavaScript than article text (so markup letters outnumber the Arabic ones).
_STYLE = "body { font-family: Tahoma, Arial, sans-serif; direction: rtl; margin: 0 auto; }\n" * 12
_SCRIPT = "var pageSettings = {trackingCode: 'XX-0000', showAdvertising: true, section: 'local'};\n" * 12
CP1256_PAGE = (
    "<html><head>\n"
    '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">\n'
    "<title>افتتاح جسر جديد فوق الوادي</title>\n"
    f"<style>\n{_STYLE}</style>\n<script>\n{_SCRIPT}</script>\n"
    "</head><body>\n<nav><a href=\"/\">Home</a> | <a href=\"/local\">Local news</a></nav>\n"
    "<article><h1>افتتاح جسر جديد فوق الوادي</h1>\n"
    "<p>افتتح وزير النقل، صباح الاثنين، جسراً جديداً فوق الوادي يختصر الطريق بين القريتين إلى عشر "
    "دقائق بعد أن كانت الرحلة تستغرق ساعة كاملة.</p>\n"
    "<p>وقال الوزير إن الجسر صُمم لتحمل السيول الموسمية، وإن أعمال الإنارة ستكتمل قبل نهاية الشهر.</p>\n"
    "</article></body></html>\n"
)

BRIEF = (
    "موجز\n"
    "\n"
    "أعلنت الجمعية الخيرية توزيع ألف سلة غذائية على الأسر المحتاجة في الأحياء الجنوبية خلال الأسبوع المقبل.\n"
)


def _zip(path: Path, members: list[tuple[str, bytes]]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2022, 5, 11, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def main() -> None:
    for d in (BAD, GOOD, ENC):
        d.mkdir(parents=True, exist_ok=True)
    (BAD / "empty.txt").write_bytes(b"")
    (BAD / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (BAD / "latin1-not-arabic.txt").write_bytes(FRENCH.encode("latin-1"))
    (BAD / "only-debris.txt").write_text(ONLY_DEBRIS, encoding="utf-8")
    (BAD / "not-a-zip.zip").write_bytes(b"This is plain text that pretends to be a zip archive.\n")
    lines = [json.dumps(r, ensure_ascii=False) for r in TRUNCATED_GOOD]
    lines.append(json.dumps(TRUNCATED_GOOD[0], ensure_ascii=False)[:60])  # cut mid-record
    (BAD / "truncated.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (BAD / "no-text.json").write_text(json.dumps(NO_TEXT, ensure_ascii=False, indent=1), encoding="utf-8")

    (ENC / "cp1256-arabic.txt").write_bytes(RAIN.encode("cp1256"))
    (ENC / "utf16.txt").write_bytes(LIBRARY.encode("utf-16"))  # with BOM, Windows line ends
    (ENC / "utf8-bom.txt").write_bytes(MARKET.encode("utf-8-sig"))
    (ENC / "cp1256-page.html").write_bytes(CP1256_PAGE.encode("cp1256"))

    (GOOD / "records.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8"
    )
    _zip(
        GOOD / "day.zip",
        [
            ("2022-05-11.json", json.dumps(DAY, ensure_ascii=False).encode("utf-8")),
            ("README.md", "ملف تجريبي بصيغة SaudiNewsNet.\n".encode()),
            ("__MACOSX/._2022-05-11.json", b"\x00\x05\x16\x07"),
            ("notes/brief.txt", BRIEF.encode("utf-8")),
        ],
    )


if __name__ == "__main__":
    main()
