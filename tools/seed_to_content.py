"""One-off conversion of the OCR'd seed documents into content/*.md.

Kept for traceability: it records every OCR slip we fixed and where each
section id comes from.  content/ is the maintained source from now on; run
this again only to regenerate it from ../shared/seeds (it overwrites).

    python tools/seed_to_content.py ../shared/seeds content
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Doc:
    seed: str
    out: str
    meta: dict[str, str]
    start: str  # first line of body (exact prefix)
    end: str  # first line after body (exact prefix), excluded
    fixes: list[tuple[str, str]] = field(default_factory=list)
    # (line prefix after cleaning, markdown heading, keep line as body text)
    heads: list[tuple[str, str, bool]] = field(default_factory=list)
    first_section: str = "## Mở đầu {#mo-dau}"
    cut: tuple[str, str] | None = None  # slice of the seed text for this doc


# Fixes shared by all documents: OCR slips whose correction is unambiguous.
COMMON_FIXES = [
    ("đầy mạnh", "đẩy mạnh"),
    ("khói đoàn kết", "khối đoàn kết"),
    ("chúc sắc", "chức sắc"),
    ("thẩm sâu", "thấm sâu"),
    ("thẩm nhuần", "thấm nhuần"),
    ("khu phố, áp, tổ trưởng", "khu phố, ấp, tổ trưởng"),
    ("thường xuyên đổi thoại", "thường xuyên đối thoại"),
]

DOCS = [
    Doc(
        seed="000_f35a598956613298.txt",
        out="hcm-danvan.md",
        meta={
            "id": "hcm-danvan",
            "area": "hcm",
            "title": "Chương trình hành động thực hiện Nghị quyết Đại hội Đảng bộ thành phố lần thứ XI về công tác dân vận",
            "short": "Chương trình hành động về công tác dân vận của Đảng bộ TP.HCM (2020 - 2025)",
            "issuer": "Ban Chấp hành Đảng bộ Thành phố Hồ Chí Minh",
            "number": "",
            "date": "",
            "received": "06/7/2021 (Sở Nội vụ TP. Hồ Chí Minh)",
            "signer": "Phó Bí thư Nguyễn Hồ Hải",
            "locality": "TP. Hồ Chí Minh",
            "period": "2020-2025",
            "kind": "Chương trình hành động",
        },
        start="Trong nhiệm kỳ qua",
        end="Nơi nhận:",
        fixes=[
            ("Tòa án nhân dân dân thành phố", "Tòa án nhân dân thành phố"),
        ],
        heads=[
            ("I. MỤC TIÊU", "## I. Mục tiêu {#muc-tieu}", False),
            ("II. NHIỆM VỤ VÀ GIẢI PHÁP", "## II. Nhiệm vụ và giải pháp {#nhiem-vu}", False),
            ("1. Tăng cường, đổi mới sự lãnh đạo", "### II.1. Tăng cường, đổi mới sự lãnh đạo của Đảng đối với hệ thống chính trị về công tác dân vận, đẩy mạnh mối quan hệ gắn bó mật thiết giữa Đảng với Nhân dân {#nv-1}", False),
            ("2. Nâng cao chất lượng, hiệu quả công tác dân vận của các cơ quan", "### II.2. Nâng cao chất lượng, hiệu quả công tác dân vận của các cơ quan Nhà nước, chính quyền các cấp; xây dựng và thực hiện có hiệu quả quy chế dân chủ ở cơ sở; làm tốt công tác dân tộc, công tác tôn giáo {#nv-2}", False),
            ("3. Tăng cường, củng cố khối đại đoàn kết", "### II.3. Tăng cường, củng cố khối đại đoàn kết toàn dân tộc; nâng cao chất lượng tổ chức, hiệu quả hoạt động của Mặt trận Tổ quốc Việt Nam, các tổ chức chính trị - xã hội và hội quần chúng {#nv-3}", False),
            ("4. Tập trung lãnh đạo, chỉ đạo tổ chức xử lý", "### II.4. Tập trung lãnh đạo, chỉ đạo tổ chức xử lý đúng quy định các vụ việc khiếu nại, tố cáo đông người, đảm bảo không phát sinh điểm nóng, phức tạp kéo dài trên địa bàn thành phố {#nv-4}", False),
            ("5. Đẩy mạnh công tác đào tạo", "### II.5. Đẩy mạnh công tác đào tạo, bồi dưỡng, nâng cao năng lực đội ngũ cán bộ làm công tác dân vận, dân tộc, tôn giáo của hệ thống chính trị {#nv-5}", False),
            ("6. Mở rộng và nâng cao hiệu quả hoạt động đối ngoại", "### II.6. Mở rộng và nâng cao hiệu quả hoạt động đối ngoại nhân dân {#nv-6}", False),
            ("7. Chú trọng công tác kiểm tra", "### II.7. Chú trọng công tác kiểm tra, giám sát, sơ kết, tổng kết thực tiễn về công tác dân vận của hệ thống chính trị {#nv-7}", False),
            ("8. Đẩy mạnh phong trào thi đua yêu nước", "### II.8. Đẩy mạnh phong trào thi đua yêu nước trong mọi tầng lớp Nhân dân {#nv-8}", False),
            ("III. TỔ CHỨC THỰC HIỆN", "## III. Tổ chức thực hiện {#to-chuc}", False),
            ("1. Thành ủy Thủ Đức", "### III.1. Thành ủy Thủ Đức, các quận ủy, huyện ủy, đảng ủy cấp trên cơ sở trực thuộc Thành ủy {#tc-1}", False),
            ("2. Đảng đoàn Mặt trận Tổ quốc", "### III.2. Đảng đoàn Mặt trận Tổ quốc Việt Nam thành phố, đảng đoàn các tổ chức chính trị - xã hội thành phố và Ban Thường vụ Thành Đoàn {#tc-2}", False),
            ("2.2. Một số nhiệm vụ cụ thể", "#### III.2.2. Một số nhiệm vụ cụ thể {#tc-2-2}", False),
            ("2.2.1. Mặt trận", "##### III.2.2.1. Mặt trận Tổ quốc Việt Nam thành phố {#tc-mttq}", True),
            ("2.2.2. Liên đoàn Lao động", "##### III.2.2.2. Liên đoàn Lao động thành phố {#tc-ldld}", True),
            ("2.2.3. Đoàn Thanh niên", "##### III.2.2.3. Đoàn Thanh niên cộng sản Hồ Chí Minh thành phố {#tc-doan}", True),
            ("2.2.4. Hội Nông dân", "##### III.2.2.4. Hội Nông dân thành phố {#tc-nong-dan}", True),
            ("2.2.5. Hội Liên hiệp Phụ nữ", "##### III.2.2.5. Hội Liên hiệp Phụ nữ thành phố {#tc-phu-nu}", True),
            ("2.2.6. Hội Cựu chiến binh", "##### III.2.2.6. Hội Cựu chiến binh thành phố {#tc-ccb}", True),
            ("3. Các ban Thành ủy", "### III.3. Các ban Thành ủy, Ủy ban Kiểm tra Thành ủy, Văn phòng Thành ủy {#tc-3}", False),
            ("3.1. Ban Tổ chức", "#### III.3.1. Ban Tổ chức Thành ủy {#tc-ban-to-chuc}", True),
            ("3.2. Ban Tuyên giáo", "#### III.3.2. Ban Tuyên giáo Thành ủy {#tc-ban-tuyen-giao}", True),
            ("3.3. Ủy ban Kiểm tra", "#### III.3.3. Ủy ban Kiểm tra Thành ủy {#tc-ubkt}", True),
            ("3.4. Ban Nội chính", "#### III.3.4. Ban Nội chính Thành ủy {#tc-ban-noi-chinh}", True),
            ("4. Đảng đoàn Hội đồng nhân dân", "### III.4. Đảng đoàn Hội đồng nhân dân thành phố {#tc-hdnd}", True),
            ("5. Ban cán sự đảng Ủy ban nhân dân", "### III.5. Ban cán sự đảng Ủy ban nhân dân thành phố {#tc-ubnd}", False),
            ("6. Đảng ủy Công an thành phố, Ban cán sự", "### III.6. Đảng ủy Công an thành phố, Ban cán sự đảng Viện Kiểm sát nhân dân, Tòa án nhân dân thành phố và Đảng ủy Cục Thi hành án dân sự {#tc-tu-phap}", False),
            ("7. Đảng ủy Quân sự", "### III.7. Đảng ủy Quân sự, Đảng ủy Công an và Đảng ủy Bộ đội Biên phòng thành phố {#tc-vu-trang}", False),
            ("8. Ban Dân vận Thành ủy", "### III.8. Ban Dân vận Thành ủy {#tc-ban-dan-van}", True),
        ],
    ),
    Doc(
        seed="001_596042a1eaa1d78a.txt",
        out="hcm-nq43.md",
        meta={
            "id": "hcm-nq43",
            "area": "hcm",
            "title": "Chương trình hành động thực hiện Nghị quyết số 43-NQ/TW ngày 24 tháng 11 năm 2023 Hội nghị lần thứ tám Ban Chấp hành Trung ương Đảng khóa XIII về tiếp tục phát huy truyền thống, sức mạnh đại đoàn kết toàn dân tộc, xây dựng đất nước ta ngày càng phồn vinh, hạnh phúc",
            "short": "Chương trình hành động thực hiện Nghị quyết 43-NQ/TW của Thành ủy TP.HCM",
            "issuer": "Ban Thường vụ Thành ủy Thành phố Hồ Chí Minh",
            "number": "",
            "date": "",
            "received": "26/02/2024 (Hội Cựu TNXP TP. Hồ Chí Minh)",
            "signer": "Phó Bí thư Nguyễn Phước Lộc",
            "locality": "TP. Hồ Chí Minh",
            "period": "2024-2030",
            "kind": "Chương trình hành động",
        },
        start="Qua thực tiễn 20 năm",
        end="Nơi nhận:",
        fixes=[
            ("nâng cao chất lượng hoạt động chất vấn,\n\ngiải trình", "nâng cao chất lượng hoạt động chất vấn, giải trình"),
            ("thành phố và cả\n\nnước;", "thành phố và cả nước;"),
            ("điều hành của chính quyền các cấp, nhất\n\n", "điều hành của chính quyền các cấp, nhất là những vấn đề quan trọng, liên quan trực tiếp đến quyền và lợi ích hợp pháp, chính đáng của Nhân dân; phát huy vai trò của các nhà khoa học, những chuyên gia đầu ngành liên quan đến từng lĩnh vực để lấy ý kiến phản biện, đóng góp ý kiến.\n\n"),
            ("\n\nlà những vấn đề quan trọng, liên quan trực tiếp đến quyền và lợi ích hợp pháp, chính đáng của Nhân dân; phát huy vai trò của các nhà khoa học, những chuyên gia đầu ngành liên quan đến từng lĩnh vực để lấy ý kiến phản biện, đóng góp ý kiến.", ""),
            ("Ủy ban nhân dân thành\n\nphổ chỉ đạo", "Ủy ban nhân dân thành phố chỉ đạo"),
            ("¹ Quyết định số 784", "Chú thích ¹: Quyết định số 784"),
            ("² Theo tinh thần", "Chú thích ²: Theo tinh thần"),
        ],
        heads=[
            ("I. MỤC TIÊU", "## I. Mục tiêu {#muc-tieu}", False),
            ("II. NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU", "## II. Nhiệm vụ, giải pháp chủ yếu {#nhiem-vu}", False),
            ("1. Nâng cao nhận thức", "### II.1. Nâng cao nhận thức của cấp ủy, tổ chức đảng, hệ thống chính trị và Nhân dân thành phố về vị trí, tầm quan trọng của việc phát huy truyền thống đại đoàn kết toàn dân tộc trong giai đoạn mới {#nv-1}", False),
            ("2. Tiếp tục xây dựng, chỉnh đốn Đảng", "### II.2. Tiếp tục xây dựng, chỉnh đốn Đảng trong sạch, vững mạnh; đảm bảo vai trò lãnh đạo của Đảng trong xây dựng và phát huy sức mạnh đại đoàn kết toàn dân tộc {#nv-2}", False),
            ("3. Nâng cao hiệu lực, hiệu quả hoạt động của Nhà nước", "### II.3. Nâng cao hiệu lực, hiệu quả hoạt động của Nhà nước, thực hiện tốt công tác dân vận của cơ quan hành chính nhà nước, chính quyền các cấp; phát huy mạnh mẽ vai trò của Nhà nước trong xây dựng và thực hiện chính sách đại đoàn kết toàn dân tộc {#nv-3}", False),
            ("3.1. Nâng cao chất lượng, hiệu quả hoạt động của Hội đồng", "#### II.3.1. Hội đồng nhân dân các cấp {#nv-3-1}", True),
            ("3.2. Tiếp tục đổi mới tổ chức và hoạt động của Ủy ban", "#### II.3.2. Ủy ban nhân dân các cấp và công tác dân vận chính quyền {#nv-3-2}", True),
            ("4. Phát huy dân chủ xã hội chủ nghĩa", "### II.4. Phát huy dân chủ xã hội chủ nghĩa, lấy Nhân dân làm trung tâm, chủ thể, động lực chủ yếu, là mục tiêu của đại đoàn kết toàn dân tộc {#nv-4}", False),
            ("5. Tiếp tục đổi mới nội dung, phương thức hoạt động của Mặt trận", "### II.5. Tiếp tục đổi mới nội dung, phương thức hoạt động của Mặt trận Tổ quốc Việt Nam, các tổ chức chính trị - xã hội, các hội quần chúng {#nv-5}", False),
            ("5.1. Mặt trận Tổ quốc Việt Nam, các tổ chức thành viên", "#### II.5.1. Đại diện Nhân dân, các cuộc vận động {#nv-5-1}", True),
            ("5.2. Nâng cao chất lượng, hiệu quả công tác giám sát", "#### II.5.2. Giám sát, phản biện xã hội {#nv-5-2}", True),
            ("5.3. Tiếp tục phát huy tính chủ động", "#### II.5.3. Phong trào thi đua, hòa giải cơ sở, an sinh xã hội {#nv-5-3}", True),
            ("5.4. Phối hợp thực hiện tốt chính sách dân tộc", "#### II.5.4. Chính sách dân tộc, tôn giáo, người Việt Nam ở nước ngoài {#nv-5-4}", True),
            ("5.5. Rà soát, kiện toàn bộ máy", "#### II.5.5. Kiện toàn bộ máy, đội ngũ cán bộ Mặt trận và đoàn thể {#nv-5-5}", True),
            ("6. Đổi mới tổ chức các cuộc vận động", "### II.6. Đổi mới tổ chức các cuộc vận động, phong trào thi đua yêu nước phù hợp với đặc trưng, phẩm chất tốt đẹp của Nhân dân; khơi dậy ý chí vươn lên, cống hiến đóng góp đối với sự phát triển thành phố {#nv-6}", False),
            ("III. TỔ CHỨC THỰC HIỆN", "## III. Tổ chức thực hiện {#to-chuc}", False),
            ("1. Cấp ủy, tổ chức đảng các cấp, đảng ủy", "### III.1. Cấp ủy, tổ chức đảng các cấp {#tc-1}", True),
            ("2. Giao Ban Tuyên giáo Thành ủy", "### III.2. Ban Tuyên giáo Thành ủy {#tc-2}", True),
            ("3. Giao Ban Tổ chức Thành ủy", "### III.3. Ban Tổ chức Thành ủy {#tc-3}", True),
            ("4. Giao Ban Dân vận Thành ủy", "### III.4. Ban Dân vận Thành ủy {#tc-4}", True),
            ("5. Đảng đoàn Hội đồng nhân dân", "### III.5. Đảng đoàn Hội đồng nhân dân thành phố {#tc-5}", True),
            ("6. Ban cán sự đảng Ủy ban nhân dân", "### III.6. Ban cán sự đảng Ủy ban nhân dân thành phố {#tc-6}", True),
            ("7. Đảng đoàn Mặt trận Tổ quốc Việt Nam và các tổ chức", "### III.7. Đảng đoàn Mặt trận Tổ quốc, các tổ chức chính trị - xã hội, Thành Đoàn và các hội quần chúng {#tc-7}", True),
            ("8. Các cơ quan tham mưu", "### III.8. Các cơ quan tham mưu, giúp việc Thành ủy {#tc-8}", True),
        ],
    ),
    Doc(
        seed="002_e6f5f0dc89473b66.txt",
        out="laichau-2023.md",
        meta={
            "id": "laichau-2023",
            "area": "laichau",
            "title": "Kế hoạch thực hiện chương trình công tác dân vận năm 2023",
            "short": "Kế hoạch 109-KH/ThU của Thành ủy Lai Châu (2023)",
            "issuer": "Ban Thường vụ Thành ủy Lai Châu (Đảng bộ tỉnh Lai Châu)",
            "number": "109-KH/ThU",
            "date": "10/01/2023",
            "signer": "Phó Bí thư Đặng Quang Chung",
            "locality": "Thành phố Lai Châu (tỉnh Lai Châu)",
            "period": "2023",
            "kind": "Kế hoạch",
        },
        start="Thực hiện Chương trình số 27-CTr/TU",
        end="Noi nhận:",
        fixes=[
            ("triển khai thực hiện hiệu quả công tác dân vận chính\n\nquyền, trong đó", "triển khai thực hiện hiệu quả công tác dân vận chính quyền, trong đó"),
            ("Luật thực\n\nnăm thực hiện Quy định số 124-QĐ/TW, ngày 02/2/2018 của Ban Bí thư về giám sát của MTTQ Việt Nam và các tổ chức chính trị - xã hội và nhân dân đối với việc rèn luyện đạo đức, lối sống của người đứng đầu, cán bộ chủ chốt và cán bộ đảng viên.\n\nhiện dân chủ ở cơ sở;", "Luật thực hiện dân chủ ở cơ sở;"),
            ("sơ kết 5\n\nthứ XIV,", "sơ kết 5 năm thực hiện Quy định số 124-QĐ/TW, ngày 02/2/2018 của Ban Bí thư về giám sát của MTTQ Việt Nam và các tổ chức chính trị - xã hội và nhân dân đối với việc rèn luyện đạo đức, lối sống của người đứng đầu, cán bộ chủ chốt và cán bộ đảng viên.\n\nthứ XIV,"),
            (r"re:Đảng bộ tỉnh lần\n\n(¹ Tổng kết.*?cán bộ đảng viên\.)\n\n(thứ XIV.*?dân vận khéo”\.)", r"Đảng bộ tỉnh lần \2\n\nChú thích: \1"),
            ("nâng cao cảnh\n\ngiác,", "nâng cao cảnh giác,"),
            ("Chỉ thị số 05-CT/TW của Bộ Chính trị về đẩy mạnh\n\nhọc tập", "Chỉ thị số 05-CT/TW của Bộ Chính trị về đẩy mạnh học tập"),
            ("xây dựng các mô hình, nhân rộng điển hình\n\n“Dân vận khéo”", "xây dựng các mô hình, nhân rộng điển hình “Dân vận khéo”"),
            ("Ủy ban Nhân thành phố", "Ủy ban nhân dân thành phố"),
            ("tăng cường vận động đồng bào tôn giáo", "tăng cường vận động đồng bào tôn giáo"),
        ],
        heads=[
            ("I. MỤC ĐÍCH, YÊU CẦU", "## I. Mục đích, yêu cầu {#muc-dich}", False),
            ("II. NỘI DUNG", "## II. Nội dung {#noi-dung}", False),
            ("1. Mục tiêu cụ thể", "### II.1. Mục tiêu cụ thể {#muc-tieu}", False),
            ("1.1. 100% cấp ủy", "#### II.1.1. Cấp ủy, tổ chức đảng thực hiện quy chế công tác dân vận {#mt-1-1}", True),
            ("1.2. 100% cán bộ lãnh đạo", "#### II.1.2. Tập huấn, bồi dưỡng cán bộ phụ trách công tác dân vận {#mt-1-2}", True),
            ("1.3. 100% người đứng đầu", "#### II.1.3. Tiếp dân, đối thoại; dân vận chính quyền {#mt-1-3}", True),
            ("1.4. Trên 95% các địa phương", "#### II.1.4. Mô hình, điển hình “Dân vận khéo” {#mt-1-4}", True),
            ("1.5. Tập hợp trên 85%", "#### II.1.5. Tập hợp quần chúng vào các tổ chức đoàn thể {#mt-1-5}", True),
            ("1.6. Trên 90% đoàn viên", "#### II.1.6. Đoàn viên, hội viên sinh hoạt thường xuyên {#mt-1-6}", True),
            ("1.7. Tỷ lệ xếp loại", "#### II.1.7. Xếp loại Mặt trận Tổ quốc và các tổ chức chính trị - xã hội ở cơ sở {#mt-1-7}", True),
            ("2. Nhiệm vụ và giải pháp", "### II.2. Nhiệm vụ và giải pháp {#nhiem-vu}", False),
            ("2.1. Tăng cường và đổi mới công tác dân vận của Đảng", "#### II.2.1. Tăng cường và đổi mới công tác dân vận của Đảng; tập hợp, vận động, phát huy vai trò, sức mạnh của Nhân dân thực hiện tốt các chủ trương của Đảng, chính sách, pháp luật của Nhà nước; củng cố mối quan hệ mật thiết giữa cấp ủy đảng, chính quyền với nhân dân {#nv-2-1}", False),
            ("2.2. Đẩy mạnh công tác dân vận của các cấp chính quyền", "#### II.2.2. Đẩy mạnh công tác dân vận của các cấp chính quyền, các cơ quan nhà nước; nâng cao chất lượng phục vụ Nhân dân, đạo đức, kỷ luật công vụ của cán bộ, công chức, viên chức {#nv-2-2}", False),
            ("2.3. Đổi mới nội dung, phương thức hoạt động", "#### II.2.3. Đổi mới nội dung, phương thức hoạt động, nâng cao hiệu quả vận động, tập hợp Nhân dân của Mặt trận Tổ quốc và các tổ chức chính trị - xã hội, trọng tâm là ở cơ sở {#nv-2-3}", False),
            ("2.4. Đẩy mạnh các phong trào thi đua", "#### II.2.4. Đẩy mạnh các phong trào thi đua yêu nước, các cuộc vận động gắn với thực hiện nhiệm vụ chính trị của địa phương, cơ quan, đơn vị {#nv-2-4}", False),
            ("III. TỔ CHỨC THỰC HIỆN", "## III. Tổ chức thực hiện {#to-chuc}", False),
        ],
    ),
    Doc(
        seed="003_4ef35991da620f68.txt",
        out="hcm-ldld-199.md",
        cut=("TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM", "Số 11-HD/BDVTU"),
        meta={
            "id": "hcm-ldld-199",
            "area": "hcm",
            "title": "V/v phối hợp thực hiện nội dung “5 không” trong phong trào thi đua “Dân vận khéo” năm 2023",
            "short": "Công văn 199/LĐLĐ-TG của Liên đoàn Lao động TP.HCM (2023)",
            "issuer": "Ban Thường vụ Liên đoàn Lao động Thành phố Hồ Chí Minh",
            "number": "199/LĐLĐ-TG",
            "date": "15/3/2023",
            "signer": "Phó Chủ tịch Phùng Thái Quang",
            "locality": "TP. Hồ Chí Minh",
            "period": "2023",
            "kind": "Công văn",
        },
        start="Căn cứ Hướng dẫn số 11-HD/BDVTU",
        end="Nơi nhận:",
        first_section="## Căn cứ {#can-cu}",
        fixes=[
            ("CĐ Ngành, Sở, Khôi", "CĐ Ngành, Sở, Khối"),
            ("kết quả thực hiện về Ban Dân vận Thành ủy\n", "kết quả thực hiện về Ban Dân vận Thành ủy.\n"),
        ],
        heads=[
            ("1. Trên cơ sở hướng dẫn", "## 1. Triển khai, phát động trong công đoàn {#muc-1}", True),
            ("2. Tập trung tổ chức các hoạt động chăm lo", "## 2. Chăm lo đời sống đoàn viên, người lao động {#muc-2}", True),
            ("3. Đề nghị Liên đoàn Lao động quận", "## 3. Phản biện xã hội, giám sát trật tự đô thị, an toàn giao thông {#muc-3}", True),
            ("4. Vận động cán bộ, đảng viên", "## 4. Viết bài hiến kế, giới thiệu gương điển hình {#muc-4}", True),
            ("Ban Thường vụ Liên đoàn Lao động Thành phố đề nghị", "## Chế độ báo cáo {#bao-cao}", True),
        ],
    ),
    Doc(
        seed="003_4ef35991da620f68.txt",
        out="hcm-hd11-5khong.md",
        cut=("Số 11-HD/BDVTU", None),
        meta={
            "id": "hcm-hd11-5khong",
            "area": "hcm",
            "title": "Hướng dẫn nội dung “5 không” trong phong trào thi đua “Dân vận khéo” năm 2023",
            "short": "Hướng dẫn 11-HD/BDVTU của Ban Dân vận Thành ủy TP.HCM (2023)",
            "issuer": "Ban Dân vận Thành ủy Thành phố Hồ Chí Minh",
            "number": "11-HD/BDVTU",
            "date": "28/02/2023",
            "signer": "Phó Trưởng ban Thường trực Nguyễn Thị Bạch Mai",
            "locality": "TP. Hồ Chí Minh",
            "period": "2023",
            "kind": "Hướng dẫn",
        },
        start="Thực hiện Nghị quyết Đại hội đại biểu",
        end="Nơi nhận:",
        first_section="## Căn cứ {#can-cu}",
        fixes=[
            ("Một bộ phận cán\n\n", "Một bộ phận cán bộ, công chức chưa “khéo” trong thực hiện chức trách, nhiệm vụ, còn biểu hiện gây phiền hà cho người dân, doanh nghiệp. Việc tiếp thu ý kiến phản ánh của người dân chưa được quan tâm giải quyết đến nơi đến chốn; việc trả lời đơn thư, khiếu nại, tố cáo của các cấp có thẩm quyền còn chậm, nhiều trường hợp kéo dài. Chất lượng các mô hình, điển hình Dân vận khéo ở một số nơi còn hình thức, chưa được kịp thời nhân rộng, tạo được sự lan tỏa trong cơ quan, đơn vị và cộng đồng dân cư,...\n\n"),
            ("\n\nbộ, công chức chưa “khéo” trong thực hiện chức trách, nhiệm vụ, còn biểu hiện gây phiền hà cho người dân, doanh nghiệp. Việc tiếp thu ý kiến phản ánh của người dân chưa được quan tâm giải quyết đến nơi đến chốn; việc trả lời đơn thư, khiếu nại, tố cáo của các cấp có thẩm quyền còn chậm, nhiều trường hợp kéo dài. Chất lượng các mô hình, điển hình Dân vận khéo ở một số nơi còn hình thức, chưa được kịp thời nhân rộng, tạo được sự lan tỏa trong cơ quan, đơn vị và cộng đồng dân cư,...", ""),
            (r"re:(Bên cạnh những kết quả đạt được.*?cộng đồng dân cư,\.\.\.)\n\n(¹ Không để.*?)\n\n(² Trong đó.*?)\n\n", r"\2\n\n\3\n\n\1\n\n"),
            ("khôn tụ tập gây rối", "không tụ tập gây rối"),
            ("¹ Không để người nghèo", "Chú thích ¹: Không để người nghèo"),
            ("² Trong đó:", "Chú thích ²: Trong đó:"),
            ("³ Quyết định số 666", "Chú thích ³: Quyết định số 666"),
            ("⁴ Theo Công văn", "Chú thích ⁴: Theo Công văn"),
            ("⁵ Số 386-KL/TU", "Chú thích ⁵: Số 386-KL/TU"),
            ("để nghề học nghề", "để học nghề"),
            ("nhúng nhỉnh người dân", "nhũng nhiễu người dân"),
            ("Không của quyền", "Không cửa quyền"),
            ("Phần đầu và duy trì", "Phấn đấu và duy trì"),
            ("trước công cơ quan", "trước cổng cơ quan"),
            ("đồng thời đề nắm tình hình", "đồng thời để nắm tình hình"),
        ],
        heads=[
            ("I. MỘT SỐ KẾT QUẢ ĐẠT ĐƯỢC", "## I. Một số kết quả đạt được và mặt hạn chế {#ket-qua}", False),
            ("Bên cạnh những kết quả đạt được", "### I.2. Mặt hạn chế {#han-che}", True),
            ("II. NỘI DUNG “5 KHÔNG”", "## II. Nội dung “5 không” {#5-khong}", False),
            ("1. Về nội dung “Không để người nghèo", "### II.1. Về nội dung “Không để người nghèo, người yếu thế tụt hậu, bị bỏ quên” {#khong-1}", False),
            ("2. Về nội dung “Không gây phiền hà", "### II.2. Về nội dung “Không gây phiền hà cho Nhân dân và doanh nghiệp” {#khong-2}", False),
            ("3. Về nội dung “Không xả rác", "### II.3. Về nội dung “Không xả rác bừa bãi ra đường phố và kênh rạch” {#khong-3}", False),
            ("4. Về nội dung “Không vi phạm", "### II.4. Về nội dung “Không vi phạm luật giao thông đường bộ” {#khong-4}", False),
            ("5. Về nội dung “Không tụ tập", "### II.5. Về nội dung “Không tụ tập gây rối, ảnh hưởng an ninh chính trị, trật tự an toàn nơi cư trú và trên đường phố” {#khong-5}", False),
            ("III. TỔ CHỨC THỰC HIỆN", "## III. Tổ chức thực hiện {#to-chuc}", True),
            ("1. Ban Dân vận Thành ủy", "### III.1. Ban Dân vận Thành ủy {#tc-1}", False),
            ("2. Đề nghị các cấp ủy, tổ chức", "### III.2. Đề nghị các cấp ủy, tổ chức {#tc-2}", False),
            ("3. Đề nghị Đảng đoàn Mặt trận", "### III.3. Đề nghị Đảng đoàn Mặt trận Tổ quốc Việt Nam và các tổ chức chính trị - xã hội thành phố; các quận ủy, huyện ủy, thành ủy Thủ Đức và Đảng ủy cấp trên cơ sở trực thuộc Thành ủy {#tc-3}", False),
        ],
    ),
    Doc(
        seed="004_b7ad970acadcf5d4.txt",
        out="dongnai-danvan.md",
        meta={
            "id": "dongnai-danvan",
            "area": "dongnai",
            "title": "Kế hoạch thực hiện Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XI, nhiệm kỳ 2020-2025 về công tác dân vận",
            "short": "Kế hoạch về công tác dân vận của Tỉnh ủy Đồng Nai (2020 - 2025)",
            "issuer": "Ban Chấp hành Đảng bộ tỉnh Đồng Nai",
            "number": "",
            "date": "",
            "signer": "Phó Bí thư Hồ Thanh Sơn",
            "locality": "Tỉnh Đồng Nai",
            "period": "2020-2025",
            "kind": "Kế hoạch",
        },
        start="Thực hiện Nghị quyết Đại hội đại biểu lần thứ XI",
        end="Nơi nhận:",
        fixes=[
            ("gắn với việc thực hiện chức năng, nhiệm vụ của từng\n\nđịa phương", "gắn với việc thực hiện chức năng, nhiệm vụ của từng địa phương"),
            ("chú trọng ở các\n\nvùng sâu", "chú trọng ở các vùng sâu"),
            ("tham mưu Ban Thường vụ Tỉnh ủy đề ra chỉ tiêu\n\ntập hợp", "tham mưu Ban Thường vụ Tỉnh ủy đề ra chỉ tiêu tập hợp"),
            ("các tầng lớp nhân dân,\n\ngiải quyết", "các tầng lớp nhân dân, giải quyết"),
            ("nâng cao chất lượng hoạt động\n\ncủa hệ thống", "nâng cao chất lượng hoạt động của hệ thống"),
            ("Ủy ban\n\nnhân dân cấp huyện", "Ủy ban nhân dân cấp huyện"),
            ("Tỉnh ủy-co quan", "Tỉnh ủy - cơ quan"),
            ("Tỉnh ủy-cơ quan", "Tỉnh ủy - cơ quan"),
            ("từ tinh đến cơ sở", "từ tỉnh đến cơ sở"),
            ("xây dựng phong hướng", "xây dựng phương hướng"),
            ("hướng dẫn, thảo gỡ", "hướng dẫn, tháo gỡ"),
            ("Chủ trọng công tác bồi dưỡng", "Chú trọng công tác bồi dưỡng"),
            ("đặc biệt là thẻ chế hóa", "đặc biệt là thể chế hóa"),
            ("có đồng đồng bào", "có đông đồng bào"),  # "đông": many, as the sense asks
            ("Hội áp, khu phố", "Hội ấp, khu phố"),
        ],
        heads=[
            ("I- MỤC ĐÍCH, YÊU CẦU", "## I. Mục đích, yêu cầu {#muc-dich}", False),
            ("1- Mục đích", "### I.1. Mục đích {#muc-dich-1}", False),
            ("2- Yêu cầu", "### I.2. Yêu cầu {#yeu-cau}", False),
            ("II- MỤC TIÊU, CHỈ TIÊU", "## II. Mục tiêu, chỉ tiêu {#muc-tieu}", False),
            ("1- Mục tiêu", "### II.1. Mục tiêu và phương châm hành động {#muc-tieu-1}", False),
            ("2- Chỉ tiêu chủ yếu", "### II.2. Chỉ tiêu chủ yếu {#chi-tieu}", False),
            ("III- NHIỆM VỤ VÀ GIẢI PHÁP", "## III. Nhiệm vụ và giải pháp {#nhiem-vu}", False),
            ("1- Nâng cao chất lượng, hiệu quả công tác dân vận, tăng cường", "### III.1. Nâng cao chất lượng, hiệu quả công tác dân vận, tăng cường mối quan hệ mật thiết giữa Đảng với nhân dân {#nv-1}", False),
            ("2- Nâng cao chất lượng công tác dân vận của cả hệ thống", "### III.2. Nâng cao chất lượng công tác dân vận của cả hệ thống chính trị mà trọng tâm là tăng cường và đổi mới công tác dân vận của các cơ quan Nhà nước {#nv-2}", False),
            ("3- Đẩy mạnh, nâng cao chất lượng, hiệu quả việc thực hiện Quy chế", "### III.3. Đẩy mạnh, nâng cao chất lượng, hiệu quả việc thực hiện Quy chế dân chủ ở cơ sở {#nv-3}", False),
            ("4- Đổi mới nội dung, phương thức hoạt động của Mặt trận", "### III.4. Đổi mới nội dung, phương thức hoạt động của Mặt trận Tổ quốc và các đoàn thể chính trị-xã hội, các hội quần chúng; đa dạng hóa các hình thức tập hợp nhân dân và hướng mạnh các hoạt động về cơ sở; phát huy tính chủ động, sáng tạo của Mặt trận Tổ quốc và các đoàn thể chính trị-xã hội các cấp trong công tác vận động nhân dân {#nv-4}", False),
            ("5- Tiếp tục thực hiện có hiệu quả công tác dân tộc", "### III.5. Tiếp tục thực hiện có hiệu quả công tác dân tộc, công tác tôn giáo {#nv-5}", False),
            ("5.1- Công tác dân tộc", "#### III.5.1. Công tác dân tộc {#nv-5-1}", False),
            ("5.2- Công tác tôn giáo", "#### III.5.2. Công tác tôn giáo {#nv-5-2}", False),
            ("6- Đẩy mạnh phong trào thi đua", "### III.6. Đẩy mạnh phong trào thi đua “Dân vận khéo” và việc “học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh” {#nv-6}", False),
            ("IV- TỔ CHỨC THỰC HIỆN", "## IV. Tổ chức thực hiện {#to-chuc}", False),
        ],
    ),
]


def plain(line: str) -> str:
    """Strip markdown emphasis and heading marks from one OCR line."""
    line = re.sub(r"^#+\s*", "", line.strip())
    line = line.replace("**", "").replace("<sup>1</sup>", "¹")
    line = re.sub(r"(?<!\w)\*(?!\s)([^*]+?)\*(?!\w)", r"\1", line)
    return line.strip().strip("*").strip()


def convert(doc: Doc, seeds: Path) -> str:
    text = unicodedata.normalize("NFC", (seeds / doc.seed).read_text(encoding="utf-8"))
    if doc.cut:
        a = text.index(doc.cut[0])
        b = text.index(doc.cut[1], a + 1) if doc.cut[1] else len(text)
        text = text[a:b]
    text = text.replace("\r\n", "\n").replace("\u00a0", " ")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    for old, new in doc.fixes + COMMON_FIXES:
        if old.startswith("re:"):
            text, count = re.subn(old[3:], new, text, flags=re.S)
            if count != 1:
                raise SystemExit(f"{doc.out}: regex fix matched {count} times: {old[:60]!r}")
            continue
        if old not in text:
            if (old, new) in COMMON_FIXES:
                continue
            raise SystemExit(f"{doc.out}: fix not found: {old[:60]!r}")
        text = text.replace(old, new)
    lines = [plain(line) for line in text.split("\n")]
    begin = next(i for i, line in enumerate(lines) if line.startswith(doc.start))
    end = next(i for i, line in enumerate(lines) if i > begin and line.startswith(doc.end))
    body = [line for line in lines[begin:end] if line]
    heads = list(doc.heads)
    out = [doc.first_section, ""]
    for line in body:
        if heads and line.startswith(heads[0][0]):
            _, heading, keep = heads.pop(0)
            out += [heading, ""]
            if keep:
                out += [line, ""]
            continue
        out += [line, ""]
    if heads:
        raise SystemExit(f"{doc.out}: headings not found: {[h[0] for h in heads]}")
    front = ["---"] + [f'{k}: "{v}"' for k, v in doc.meta.items()] + [f'seed: "{doc.seed}"', "---", ""]
    return "\n".join(front + out).rstrip() + "\n"


def main() -> None:
    seeds, dest = Path(sys.argv[1]), Path(sys.argv[2])
    dest.mkdir(parents=True, exist_ok=True)
    for doc in DOCS:
        (dest / doc.out).write_text(convert(doc, seeds), encoding="utf-8")
        print("wrote", dest / doc.out)


if __name__ == "__main__":
    main()
