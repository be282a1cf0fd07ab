"""The web dashboard: petitions for admins and units, the report with charts, and the questions the
assistant could not answer.  Served by the bot's own process, on its event loop (aiohttp), in
server-rendered Vietnamese pages (Jinja2 templates in bot/web/templates).

Rights are decided on the server at every request, from the configuration as it is now: an admin
sees and acts on everything; a unit's staff member only on their unit's petitions (another unit's
petition is "not found", whatever its URL); anyone else is sent back to the sign-in page.  Every
act goes through the same domain as the unit's Telegram buttons (bot/petitions.py), audited with
who did it, and the citizen hears of it through the same outbox.  Every form carries the session's
CSRF token, compared on the server.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import hmac
import io
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlencode

import jinja2
from aiohttp import web

from bot import history, learning, messages
from bot.assistant import Assistant
from bot.config import Settings
from bot.listing import SORTS, Filter, find, is_overdue
from bot.petitions import (
    ACTS, ADMINS_UNIT, CATEGORIES, MAX_PHOTO_BYTES, STATUSES, TRANSITIONS, Actor, Outcome, Petition, Petitions,
)
from bot.reports import as_cell, as_row, report, write_csv
from bot.store import OUT_OF_SCOPE, Store
from bot.web.auth import SESSION_TTL, Auth, Session
from bot.workdays import date_vn, time_vn, today_in_vietnam


class Services(Protocol):
    """What the dashboard uses of the bot's services (bot/telegram/services.py; the web knows no Telegram)."""

    settings: Settings
    store: Store
    petitions: Petitions
    assistant: Assistant

    def wake_outbox(self) -> None: ...

    async def reload(self) -> None: ...

log = logging.getLogger(__name__)

COOKIE = "danvan_session"
REPLY_MAX = 3500  # characters of a reply to a citizen (a Telegram message, with its heading)
UPLOAD_MAX = MAX_PHOTO_BYTES  # an evidence file
QUESTION_GROUPS_SHOWN = 200
CHARTS_KEPT = 60.0  # seconds a period's charts are reused (six charts, one report)
# What each act is called on the page: the unit's Telegram buttons' words.
ACT_LABELS = {act: label.split(" ", 1)[1] for act, label in (  # the buttons' words, without their emoji
    ("accept", messages.UNIT_ACCEPT), ("start", messages.UNIT_PROGRESS), ("resolve", messages.UNIT_RESOLVE),
    ("reject", messages.UNIT_REJECT))}
NEEDS_TEXT = frozenset({"resolve", "reject"})  # what the citizen reads with these
NOTICES = {  # ?ok=... after an act: what the page says
    "accept": "Đơn vị đã nhận xử lý phản ánh; đã báo cho người dân.",
    "start": "Đã chuyển sang “Đang xử lý”; đã báo cho người dân.",
    "resolve": "Đã gửi câu trả lời và đánh dấu “Đã giải quyết”; đã báo cho người dân.",
    "reject": "Đã gửi lý do và đánh dấu “Từ chối”; đã báo cho người dân.",
    "moved": "Đã chuyển phản ánh sang đơn vị mới; đã báo cho đơn vị và người dân.",
    "replied": "Đã gửi câu trả lời cho người dân (trạng thái không đổi).",
    "attached": "Đã gắn câu hỏi vào chủ đề. Bấm “Tải lại kiến thức” để trợ lý dùng ngay.",
    "out": "Đã đánh dấu ngoài phạm vi văn bản. Bấm “Tải lại kiến thức” để trợ lý dùng ngay.",
    "reloaded": "Đã tải lại kiến thức: trợ lý đang trả lời theo nội dung mới.",
}
PROBLEMS = {  # ?err=...
    "not_allowed": "Anh/Chị không có quyền làm việc này với phản ánh này.",
    "not_now": "Phản ánh đang ở trạng thái “{status}” nên việc này không làm được nữa.",
    "need_text": "Anh/Chị cần nhập nội dung gửi người dân (ít nhất vài chữ).",
    "too_long": f"Nội dung dài quá: tối đa {REPLY_MAX} ký tự.",
    "file": "Tệp đính kèm không dùng được: ảnh JPG/PNG hoặc tệp PDF, tối đa 10 MB.",
    "unit": "Anh/Chị hãy chọn một đơn vị khác với đơn vị đang xử lý.",
    "intent": "Anh/Chị chọn một chủ đề có trong danh sách.",
    "none": "Anh/Chị chưa chọn câu hỏi nào trong nhóm.",
    "reload": "Chưa tải lại được: {error}. Trợ lý vẫn trả lời theo nội dung cũ.",
}

FetchFile = Callable[[str], Awaitable[bytes]]


@dataclass(frozen=True)
class Who:
    """The signed-in person, with their rights as the configuration gives them now."""

    user_id: int
    admin: bool
    units: frozenset[str]  # the units whose staff they are
    session: Session

    @property
    def actor(self) -> Actor:
        return Actor(self.user_id, "web")

    @property
    def sees(self) -> frozenset[str] | None:
        """The units whose petitions they see (None: all)."""
        return None if self.admin else self.units


# who is signed in, on the request (aiohttp's typed keys where it has them)
WHO: Any = web.RequestKey("who", Who) if hasattr(web, "RequestKey") else "who"


def rights(services: Services, user_id: int) -> tuple[bool, frozenset[str]]:
    admin = user_id in services.settings.admins
    return admin, frozenset(u.id for u in services.settings.units if user_id in u.staff)


def may_use(services: Services, user_id: int) -> bool:
    """Who may sign in: an admin or a unit's staff member."""
    admin, units = rights(services, user_id)
    return admin or bool(units)


class Dashboard:
    def __init__(self, services: Services, fetch_file: FetchFile | None = None, secure: bool = False,
                 clock: Callable[[], float] = time.time) -> None:
        self.services = services
        self.fetch_file = fetch_file
        self.secure = secure  # cookies only over https (DANVAN_WEB_URL is https)
        self.auth = Auth(services.store, clock)
        self._charts: dict[tuple[str, str], tuple[float, dict[str, bytes]]] = {}
        self._charting = asyncio.Lock()  # the page's six images arrive together: drawn once
        self._reload_errors: dict[int, str] = {}  # an admin's failed reload, shown once
        self.templates = jinja2.Environment(
            loader=jinja2.PackageLoader("bot.web", "templates"), autoescape=True,
            undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.templates.filters.update(time_vn=time_vn, date_vn=date_vn)
        self.templates.globals.update(STATUSES=STATUSES, CATEGORIES=CATEGORIES, ACT_LABELS=ACT_LABELS)

    # the application ----------------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application(client_max_size=UPLOAD_MAX + (1 << 16), middlewares=[self._guard])
        r = app.router
        r.add_get("/", self.home)
        r.add_get("/dang-nhap", self.sign_in_page)
        r.add_get("/login/{token}", self.login_page)
        r.add_post("/login", self.login)
        r.add_post("/dang-xuat", self.logout)
        r.add_get("/phan-anh", self.petitions_page)
        r.add_get("/phan-anh.csv", self.petitions_csv)
        r.add_get("/phan-anh/{code}", self.petition_page)
        r.add_get("/phan-anh/{code}/anh/{number:\\d{1,2}}", self.petition_photo)
        r.add_post("/phan-anh/{code}/xu-ly", self.act)
        r.add_post("/phan-anh/{code}/chuyen", self.move)
        r.add_post("/phan-anh/{code}/tra-loi", self.reply)
        r.add_get("/bao-cao", self.report_page)
        r.add_get("/bao-cao/bieu-do/{key:[a-z_]+}.png", self.chart)
        r.add_get("/cau-hoi", self.questions_page)
        r.add_get("/cau-hoi.csv", self.questions_csv)
        r.add_post("/cau-hoi/gan", self.attach)
        r.add_post("/cau-hoi/tai-lai", self.reload)
        r.add_static("/static", str(_static_dir()), show_index=False)
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                     ) -> web.StreamResponse:
        """Who is signed in (their rights as of now), CSRF on every form, and headers that keep
        pages with personal data out of caches and frames."""
        request[WHO] = None
        session = await self.auth.session(request.cookies.get(COOKIE))
        if session is not None and may_use(self.services, session.user_id):
            admin, units = rights(self.services, session.user_id)
            request[WHO] = Who(session.user_id, admin, units, session)
        public = request.path in ("/dang-nhap", "/login") or request.path.startswith(("/login/", "/static/"))
        if not public and request[WHO] is None:
            raise web.HTTPSeeOther("/dang-nhap")
        try:
            if request.method == "POST" and request.path != "/login":
                form = await request.post()
                who = request[WHO]
                if who is None or not hmac.compare_digest(str(form.get("csrf", "")).encode(), who.session.csrf.encode()):
                    return self._headers(self.page(
                        "message.html", request, status=403, title="Phiên làm việc không hợp lệ",
                        text="Biểu mẫu này đã cũ hoặc không phải từ trang quản trị. Anh/Chị tải lại trang rồi làm lại."))
            response = await handler(request)
        except web.HTTPNotFound:
            response = self.page("message.html", request, status=404, title="Không tìm thấy",
                                 text="Không có trang hoặc phản ánh này, hoặc Anh/Chị không có quyền xem.")
        except web.HTTPRequestEntityTooLarge:
            response = self.page("message.html", request, status=413, title="Tệp quá lớn",
                                 text=PROBLEMS["file"])
        except web.HTTPException:
            raise
        except Exception:  # logged with its traceback; the person gets a polite page, never a trace
            log.exception("web: %s %s failed", request.method, request.path)
            response = self.page("message.html", request, status=500, title="Có lỗi xảy ra",
                                 text="Xin lỗi Anh/Chị, trang quản trị gặp lỗi khi làm việc này. Anh/Chị thử lại sau "
                                      "ít phút; lỗi đã được ghi lại.")
        return self._headers(response)

    @staticmethod
    def _headers(response: web.StreamResponse) -> web.StreamResponse:
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"  # the one-time link never leaves in a Referer
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; "
            "frame-ancestors 'none'")
        return response

    def page(self, template: str, request: web.Request, status: int = 200, **values: Any) -> web.Response:
        who: Who | None = request.get(WHO)
        body = self.templates.get_template(template).render(
            who=who, csrf=who.session.csrf if who else "", path=request.path,
            ok=NOTICES.get(request.query.get("ok", "")), **values)
        return web.Response(text=body, content_type="text/html", charset="utf-8", status=status)

    # signing in -----------------------------------------------------------------------------

    async def home(self, request: web.Request) -> web.Response:
        raise web.HTTPSeeOther("/phan-anh")

    async def sign_in_page(self, request: web.Request) -> web.Response:
        if request[WHO] is not None:
            raise web.HTTPSeeOther("/phan-anh")
        return self.page("message.html", request, title="Đăng nhập trang quản trị",
                         text="Anh/Chị mở Telegram, nhắn lệnh /web cho trợ lý (trong cuộc trò chuyện riêng) để nhận "
                              "một liên kết đăng nhập. Liên kết chỉ dùng được một lần, trong 10 phút.")

    async def login_page(self, request: web.Request) -> web.Response:
        """The link from /web: a button to confirm (a link preview fetched by a messenger uses nothing up)."""
        token = request.match_info["token"]
        if not await self.auth.link_valid(token):
            return self._link_refused(request)
        return self.page("login.html", request, token=token)

    async def login(self, request: web.Request) -> web.Response:
        form = await request.post()
        opened = await self.auth.use_link(str(form.get("token", ""))[:100])
        if opened is None or not may_use(self.services, opened[1].user_id):
            return self._link_refused(request)
        cookie, session = opened
        log.info("web: user %s signed in", session.user_id)
        response = web.Response(status=303, headers={"Location": "/phan-anh"})
        response.set_cookie(COOKIE, cookie, max_age=int(SESSION_TTL), httponly=True, samesite="Lax",
                            secure=self.secure, path="/")
        return response

    def _link_refused(self, request: web.Request) -> web.Response:
        return self.page("message.html", request, status=403, title="Liên kết không còn dùng được",
                         text="Liên kết đăng nhập này đã được dùng, đã quá 10 phút hoặc không đúng. Anh/Chị nhắn "
                              "lệnh /web cho trợ lý trên Telegram để nhận liên kết mới.")

    async def logout(self, request: web.Request) -> web.Response:
        await self.auth.end(request[WHO].session)
        response = web.Response(status=303, headers={"Location": "/dang-nhap"})
        response.del_cookie(COOKIE, path="/")
        return response

    # petitions -----------------------------------------------------------------------------

    def _filter(self, query: Any) -> Filter:
        def day(key: str) -> dt.date | None:
            return _day(query.get(key, ""))

        status = query.get("trang_thai") or None
        return Filter(
            status=status if status in (*STATUSES, "open") else None,
            unit_id=query.get("don_vi") or None, category=query.get("linh_vuc") or None,
            area=(query.get("khu_vuc") or "").strip()[:100] or None, overdue=query.get("qua_han") == "1",
            text=(query.get("q") or "").strip()[:200] or None, since=day("tu"), until=day("den"),
            sort=query.get("sap_xep") if query.get("sap_xep") in SORTS else "newest",
            page=_number(query.get("trang", "1")) or 1)

    def _units_for(self, who: Who) -> list[tuple[str, str]]:
        units = [(u.id, u.name) for u in self.services.settings.units if who.admin or u.id in who.units]
        return [(ADMINS_UNIT.id, ADMINS_UNIT.name)] + units if who.admin else units

    async def petitions_page(self, request: web.Request) -> web.Response:
        who: Who = request[WHO]
        f = self._filter(request.query)
        today = today_in_vietnam()
        found = await find(self.services.store, f, who.sees, today)
        kept = {k: v for k, v in request.query.items() if k != "trang" and v}
        return self.page(
            "petitions.html", request, found=found, f=f, query=kept, units=self._units_for(who),
            unit_name=lambda i: self.services.petitions.unit(i).name,
            overdue=lambda p: is_overdue(p, today), page_link=lambda n: "?" + urlencode({**kept, "trang": n}),
            csv_link="/phan-anh.csv?" + urlencode(kept))

    async def petitions_csv(self, request: web.Request) -> web.Response:
        """What the filter shows, all pages, as the CLI's export writes it (Excel opens it with Vietnamese intact)."""
        who: Who = request[WHO]
        found = await find(self.services.store, self._filter(request.query), who.sees, today_in_vietnam(),
                           page_size=None)
        out = io.StringIO()
        out.write("\ufeff")  # Excel reads it as UTF-8
        write_csv(out, [as_row(p) for p in found.petitions])
        log.info("web: user %s exported %s petitions", who.user_id, found.total)
        return web.Response(body=out.getvalue().encode("utf-8"), content_type="text/csv", charset="utf-8",
                            headers={"Content-Disposition": 'attachment; filename="phan-anh.csv"'})

    async def _visible(self, request: web.Request) -> Petition:
        """The petition of the URL, if this person may see it: else 404, the same as none."""
        who: Who = request[WHO]
        petition = await self.services.petitions.by_code(request.match_info["code"][:20])
        if petition is None or not self.services.petitions.may_handle(who.actor, petition):
            raise web.HTTPNotFound()
        return petition

    async def petition_page(self, request: web.Request) -> web.Response:
        who: Who = request[WHO]
        petition = await self._visible(request)
        s = self.services
        problem = request.query.get("err", "")
        error = PROBLEMS.get(problem, "").format(status=STATUSES[petition.status], error="")
        others = [(u.id, u.name) for u in s.settings.units if u.id != petition.unit_id]
        return self.page(
            "petition.html", request, p=petition, error=error, history=await history.lines(s.petitions, petition),
            unit=s.petitions.unit(petition.unit_id).name, photos=len(await s.petitions.photos(petition.id)),
            overdue=is_overdue(petition, today_in_vietnam()), others=others,
            acts=_possible_acts(petition),
            can_move=not petition.closed and bool(others), can_reply=who.admin, needs_text=NEEDS_TEXT,
            map_link=_map_link(petition))

    async def petition_photo(self, request: web.Request) -> web.Response:
        petition = await self._visible(request)
        photos = await self.services.petitions.photos(petition.id)
        number = int(request.match_info["number"])
        if not 1 <= number <= len(photos) or self.fetch_file is None:
            raise web.HTTPNotFound()
        try:
            data = await self.fetch_file(photos[number - 1])
        except Exception:
            log.warning("web: photo %s of petition %s could not be fetched", number, petition.id, exc_info=True)
            return web.Response(status=502, text="Chưa tải được ảnh từ Telegram; Anh/Chị thử lại sau.")
        return web.Response(body=data, content_type="image/jpeg", headers={"Cache-Control": "no-store"})  # personal data: not left in a shared phone's cache

    async def _evidence(self, form: Any, petition: Petition) -> tuple[tuple[str, int], ...] | None:
        """The file attached to an answer, kept until the outbox sends it; () for none, None for a bad one."""
        upload = form.get("tep")
        if not isinstance(upload, web.FileField) or not upload.filename:
            return ()
        data = upload.file.read(UPLOAD_MAX + 1)
        if not data or len(data) > UPLOAD_MAX:
            return None
        # what the file is, by its first bytes (a browser's word for it is only a hint)
        kind = "photo" if data.startswith((b"\xff\xd8\xff", b"\x89PNG")) else \
            "document" if data.startswith(b"%PDF") else None
        if kind is None:
            return None
        name = "".join(ch for ch in upload.filename if ch.isalnum() or ch in "._- ")[:80] or "tep"
        return (kind, await self.services.store.add_upload(petition.id, kind, name, data)),

    def _back(self, petition: Petition, **query: str) -> web.HTTPSeeOther:
        return web.HTTPSeeOther(f"/phan-anh/{petition.code}?{urlencode(query)}" if query else f"/phan-anh/{petition.code}")

    def _outcome(self, petition: Petition, outcome: Outcome, done: str) -> web.HTTPSeeOther:
        if outcome is Outcome.DONE:
            self.services.wake_outbox()
            return self._back(petition, ok=done)
        if outcome is Outcome.NOT_FOUND:
            return web.HTTPSeeOther("/phan-anh")
        return self._back(petition, err="not_allowed" if outcome is Outcome.NOT_ALLOWED else "not_now")

    async def act(self, request: web.Request) -> web.Response:
        """One of the unit's buttons; resolving and rejecting carry the text (and a file) for the citizen."""
        who: Who = request[WHO]
        petition = await self._visible(request)
        form = await request.post()
        what = str(form.get("act", ""))
        if what not in ACTS:
            raise self._back(petition)
        text = _text(form) if what in NEEDS_TEXT else None
        if text is not None and len(text) < 2:
            raise self._back(petition, err="need_text")
        if text is not None and len(text) > REPLY_MAX:
            raise self._back(petition, err="too_long")
        if what not in _possible_acts(petition):  # (and nothing uploaded is kept)
            raise self._back(petition, err="not_now")
        evidence = await self._evidence(form, petition) if what in NEEDS_TEXT else ()
        if evidence is None:
            raise self._back(petition, err="file")
        result = await self.services.petitions.act(who.actor, petition.id, what, text, evidence)
        log.info("web: user %s %s petition %s: %s", who.user_id, what, petition.id, result.outcome)
        raise self._outcome(petition, result.outcome, what)

    async def move(self, request: web.Request) -> web.Response:
        who: Who = request[WHO]
        petition = await self._visible(request)
        form = await request.post()
        unit_id = str(form.get("unit", ""))
        if unit_id == petition.unit_id or all(u.id != unit_id for u in self.services.settings.units):
            raise self._back(petition, err="unit")
        result = await self.services.petitions.reassign(who.actor, petition.id, unit_id)
        log.info("web: user %s moved petition %s: %s", who.user_id, petition.id, result.outcome)
        raise self._outcome(petition, result.outcome, "moved")

    async def reply(self, request: web.Request) -> web.Response:
        """The admins' desk writes to the citizen without changing the status (with a file if any)."""
        who: Who = request[WHO]
        petition = await self._visible(request)
        form = await request.post()
        text = _text(form)
        if not who.admin:
            raise self._back(petition, err="not_allowed")
        if len(text) < 2:
            raise self._back(petition, err="need_text")
        if len(text) > REPLY_MAX:
            raise self._back(petition, err="too_long")
        evidence = await self._evidence(form, petition)
        if evidence is None:
            raise self._back(petition, err="file")
        result = await self.services.petitions.reply(who.actor, petition.id, text, evidence)
        log.info("web: user %s replied to petition %s: %s", who.user_id, petition.id, result.outcome)
        raise self._outcome(petition, result.outcome, "replied")

    # the report ----------------------------------------------------------------------------

    def _period(self, query: Any) -> tuple[dt.date, dt.date]:
        today = today_in_vietnam()
        since = _day(query.get("tu", "")) or today - dt.timedelta(days=29)
        until = _day(query.get("den", "")) or today
        return (since, until) if since <= until else (until, since)

    def _admin(self, request: web.Request) -> Who:
        who: Who = request[WHO]
        if not who.admin:
            raise web.HTTPNotFound()
        return who

    async def report_page(self, request: web.Request) -> web.Response:
        self._admin(request)
        since, until = self._period(request.query)
        data = await self._report(since, until)
        from bot.charts import CHART_TITLES

        period = urlencode({"tu": since.isoformat(), "den": until.isoformat()})
        return self.page("report.html", request, data=data, since=since, until=until, period=period,
                         charts=CHART_TITLES, units=self._unit_names(), categories=CATEGORIES)

    def _unit_names(self) -> dict[str, str]:
        return {ADMINS_UNIT.id: ADMINS_UNIT.name, **{u.id: u.name for u in self.services.settings.units}}

    async def _report(self, since: dt.date, until: dt.date) -> dict[str, Any]:
        titles = {i.id: i.title for i in self.services.assistant.intents.values()}
        return await report(self.services.store, since, until, titles)

    async def chart(self, request: web.Request) -> web.Response:
        self._admin(request)
        from bot.charts import report_charts

        since, until = self._period(request.query)
        key = (since.isoformat(), until.isoformat())
        async with self._charting:
            made, charts = self._charts.get(key, (0.0, {}))
            if time.monotonic() - made > CHARTS_KEPT:
                data = await self._report(since, until)
                charts = await asyncio.to_thread(report_charts, data, self._unit_names())  # off the bot's loop
                self._charts = {key: (time.monotonic(), charts)}
        png = charts.get(request.match_info["key"])
        if png is None:
            raise web.HTTPNotFound()
        return web.Response(body=png, content_type="image/png", headers={"Cache-Control": "private, max-age=60"})

    # what the assistant could not answer ----------------------------------------------------

    async def _groups(self) -> list[learning.Group]:
        # thousands of questions compared with each other: not on the loop that answers Telegram
        return await asyncio.to_thread(learning.group, await self.services.store.unanswered(open_only=True))

    async def questions_page(self, request: web.Request) -> web.Response:
        self._admin(request)
        s = self.services
        groups = (await self._groups())[:QUESTION_GROUPS_SHOWN]
        intents = sorted((i for i in s.assistant.intents.values() if i.kind == "answer"), key=lambda i: i.title)
        votes = await s.store.vote_totals()
        def suggest() -> dict[int, list[str]]:  # the closest intents, first in the list to choose from
            return {g.first.id: [c.intent.id for c in s.assistant.matcher.candidates(g.first.question)[1]
                                 if c.intent.kind == "answer"][:3] for g in groups}

        suggested = await asyncio.to_thread(suggest)
        problem = request.query.get("err", "")
        return self.page(
            "questions.html", request, groups=groups, intents=intents, suggested=suggested, votes=votes,
            titles={i.id: i.title for i in s.assistant.intents.values()},
            error=PROBLEMS.get(problem, "").format(error=self._reload_errors.pop(request[WHO].user_id, ""), status=""),
            learned=len(await s.store.learned()))

    async def questions_csv(self, request: web.Request) -> web.Response:
        self._admin(request)
        titles = {i.id: i.title for i in self.services.assistant.intents.values()}
        out = io.StringIO()
        out.write("\ufeff")
        writer = csv.writer(out)
        writer.writerow(["Nhóm", "Số câu trong nhóm", "Câu hỏi", "Trợ lý đã trả lời thay bằng", "Thời điểm", "Mã"])
        for row in learning.export_rows(await self._groups(), titles):
            row[4] = time_vn(row[4])
            writer.writerow([as_cell(cell) for cell in row])
        return web.Response(body=out.getvalue().encode("utf-8"), content_type="text/csv", charset="utf-8",
                            headers={"Content-Disposition": 'attachment; filename="cau-hoi-chua-tra-loi.csv"'})

    async def attach(self, request: web.Request) -> web.Response:
        """A group of questions as examples of an intent, or out of scope."""
        who = self._admin(request)
        form = await request.post()
        ids = [n for n in map(_number, form.getall("id", [])) if n is not None][:500]
        if not ids:
            raise web.HTTPSeeOther("/cau-hoi?err=none")
        if form.get("out_of_scope"):
            resolution, done = OUT_OF_SCOPE, "out"
        else:
            intent = self.services.assistant.intents.get(str(form.get("intent", "")))
            if intent is None or intent.kind != "answer":
                raise web.HTTPSeeOther("/cau-hoi?err=intent")
            resolution, done = intent.id, "attached"
        changed = await self.services.store.resolve_unanswered(ids, resolution, who.user_id)
        log.info("web: admin %s resolved %s unanswered question(s) as %s", who.user_id, len(changed), resolution)
        raise web.HTTPSeeOther(f"/cau-hoi?ok={done}")

    async def reload(self, request: web.Request) -> web.Response:
        who = self._admin(request)
        try:
            await self.services.reload()
        except Exception as exc:  # a broken file: said, and the old knowledge keeps answering
            log.warning("web: reload by %s failed: %s", who.user_id, exc)
            self._reload_errors[who.user_id] = str(exc)[:300]
            raise web.HTTPSeeOther("/cau-hoi?err=reload")
        log.info("web: admin %s reloaded the knowledge", who.user_id)
        raise web.HTTPSeeOther("/cau-hoi?ok=reloaded")


def _number(text: str) -> int | None:
    """A page number or an id as typed in a URL or a form: plain digits, of a sensible size."""
    text = str(text).strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 12 else None


def _day(text: str) -> dt.date | None:
    """A date from a form (YYYY-MM-DD), within the years a desk works with."""
    try:
        day = dt.date.fromisoformat(str(text)[:10])
    except ValueError:
        return None
    return day if 2000 <= day.year <= 2100 else None


def _text(form: Any) -> str:
    """What staff typed for the citizen (browsers send line breaks as CRLF)."""
    return str(form.get("text", "")).replace("\r\n", "\n").strip()


def _possible_acts(petition: Petition) -> list[str]:
    """The unit's acts the petition's status allows now (a closed petition allows none)."""
    return [act for act, status in ACTS.items() if status in TRANSITIONS[petition.status]]


def _map_link(petition: Petition) -> str | None:
    if petition.latitude is None or petition.longitude is None:
        return None
    lat, lon = petition.latitude, petition.longitude
    return f"https://www.openstreetmap.org/?mlat={lat:.6f}&mlon={lon:.6f}#map=17/{lat:.6f}/{lon:.6f}"


def _static_dir() -> Path:
    return Path(__file__).resolve().parent / "static"

