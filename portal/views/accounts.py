"""Staff login, throttled so that guessing slows only the guesser (portal.throttle).

django-axes locks the pair of an account and an address after AXES_FAILURE_LIMIT failures. An
account that fails from many addresses, or an address that fails on many accounts, is not
locked: each further attempt must carry a solved proof-of-work challenge, which the browser
computes for the owner and which grows for the guesser.
"""

from django.contrib.auth.views import LoginView
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _

from .. import throttle
from ..forms import StaffLoginForm

SCOPE = "login"


def _target(request) -> str:
    return (request.POST.get("username") or "").strip().lower()[: throttle.USERNAME_MAX]


def _target_shown(request) -> str:
    return (request.POST.get("username") or "")[: throttle.USERNAME_MAX]


class StaffLoginView(LoginView):
    form_class = StaffLoginForm
    template_name = "registration/login.html"
    work = 0

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.work:
            context["challenge"] = throttle.challenge(work=self.work)
        return context

    def post(self, request, *args, **kwargs):
        target = _target(request)
        if throttle.pair_refused(request, scope=SCOPE, target=target):
            # This address has used up its tries on this account: axes answers (the lock page).
            return super().post(request, *args, **kwargs)
        needed = throttle.work_required(request, scope=SCOPE, target=target)
        payload = request.POST.get(throttle.CHALLENGE_FIELD)
        if needed and not throttle.solution_accepted(payload, work=needed):
            self.work = needed
            # Nothing was checked (a bound form would try the password): the name is kept.
            form = self.form_class(request, initial={"username": _target_shown(request)})
            context = self.get_context_data(
                form=form,
                challenge_reason=_(
                    "该账号或您所在网络近期登录失败较多。为保护账号安全，浏览器需要先自动完成一次"
                    "安全验证（通常几秒钟），完成后请重新输入密码并登录。"
                ),
            )
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        """A refused login is a 400 with the reason on the form (a wrong password, a name too
        long); a failed password also counts for the throttle."""
        if form.has_error(NON_FIELD_ERRORS, "invalid_login"):
            throttle.record_failure(self.request, scope=SCOPE, target=_target(self.request))
        return self.render_to_response(self.get_context_data(form=form), status=400)
