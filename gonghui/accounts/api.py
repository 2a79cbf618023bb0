"""Account endpoints of the API: obtain a token (with django-axes lock-out) and "who am I"."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from gonghui.accounts.access import get_access
from gonghui.accounts.models import ApiToken
from gonghui.accounts.roles import Role
from gonghui.accounts.sign_in_throttle import username_wait_seconds
from gonghui.accounts.tokens import api_token_issue, api_token_revoke, api_tokens_of


class AccountLockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = gettext_lazy("登录失败次数过多，账号已被暂时锁定，请稍后再试")
    default_code = "locked_out"


class TokenObtainSerializer(serializers.Serializer):
    username = serializers.CharField(label=gettext_lazy("用户名"), write_only=True)
    password = serializers.CharField(
        label=gettext_lazy("密码"), style={"input_type": "password"}, trim_whitespace=False, write_only=True
    )
    name = serializers.CharField(
        label=gettext_lazy("名称"), required=False, allow_blank=True, max_length=100, write_only=True
    )
    token = serializers.CharField(label=gettext_lazy("令牌"), read_only=True, help_text=gettext_lazy("只显示这一次"))
    expires_at = serializers.DateTimeField(label=gettext_lazy("过期时间"), read_only=True)

    def validate(self, attrs):
        # django-axes watches `authenticate()`: it needs the Django request (not DRF's wrapper),
        # both to count the failure by username + IP and to flag a lock-out on it.
        django_request = self.context["request"]._request
        wait = username_wait_seconds(attrs["username"])
        if wait:
            raise exceptions.Throttled(wait=wait, detail=_("该账号近期登录失败较多，请稍后再试。"))
        user = authenticate(request=django_request, username=attrs["username"], password=attrs["password"])
        if getattr(django_request, "axes_locked_out", False):
            # Answer in the API's error shape instead of axes' HTML page (the middleware
            # would otherwise replace this response); the attempt stays counted and refused.
            django_request.axes_locked_out = False
            raise AccountLockedOut()
        if user is None or not user.is_active:
            raise exceptions.ValidationError({"non_field_errors": [_("用户名或密码不正确")]}, code="authorization")
        attrs["user"] = user
        return attrs


class TokenObtainApi(GenericAPIView):
    """Exchange a username and password for a new API token (send it as `Authorization: Token <key>`).

    The key is returned only this once (only its digest is kept). It expires after
    API_TOKEN_LIFETIME_DAYS, and is revoked when the password changes or the account is stopped.
    Repeated failures lock the username + address out, as on the sign-in page."""

    serializer_class = TokenObtainSerializer
    authentication_classes = []
    permission_classes = []
    error_statuses = [429]  # locked out, or the username must wait (core.api_schema)

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        key, token = api_token_issue(
            user=serializer.validated_data["user"], name=serializer.validated_data.get("name", "")
        )
        return Response({"token": key, "expires_at": serializers.DateTimeField().to_representation(token.expires_at)})


class ApiTokenSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField(help_text=gettext_lazy("是否为本次请求所用的令牌"))

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at", "current"]

    def get_current(self, obj) -> bool:
        auth = self.context["request"].auth
        return isinstance(auth, ApiToken) and auth.pk == obj.pk


class ApiTokenListApi(GenericAPIView):
    """The caller's live API tokens (never the keys: only their first characters)."""

    serializer_class = ApiTokenSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return api_tokens_of(actor=self.request.user)

    @extend_schema(responses=ApiTokenSerializer(many=True))
    def get(self, request):
        return Response(self.get_serializer(self.get_queryset(), many=True).data)


class ApiTokenRevokeApi(GenericAPIView):
    """Revoke one of the caller's tokens (an administrator: anyone's)."""

    serializer_class = ApiTokenSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return ApiToken.objects.restrict(self.request.user, "delete").select_related("user")

    @extend_schema(request=None, responses={204: None})
    def post(self, request, pk):
        api_token_revoke(actor=request.user, token=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class MePersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    staff_no = serializers.CharField()
    name = serializers.CharField()
    id_number = serializers.CharField(source="id_number_masked", help_text=gettext_lazy("已脱敏"))
    sub_union = serializers.IntegerField(source="sub_union_id")
    sub_union_name = serializers.CharField(source="sub_union.name")
    employment_status = serializers.CharField()


class MeRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)
    label = serializers.CharField()
    scope_type = serializers.ChoiceField(choices=["union", "sub_union", "university_unit", "self"])
    scope_id = serializers.IntegerField(allow_null=True)
    scope_name = serializers.CharField()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField()
    person = MePersonSerializer(allow_null=True)
    roles = MeRoleSerializer(many=True)
    permissions = serializers.ListField(child=serializers.CharField())


def _me_roles(user) -> list[dict]:
    rows = []
    for assignment in user.role_assignments.select_related("sub_union", "university_unit").order_by("role", "pk"):
        if assignment.sub_union_id:
            scope = ("sub_union", assignment.sub_union_id, assignment.sub_union.name)
        elif assignment.university_unit_id:
            scope = ("university_unit", assignment.university_unit_id, assignment.university_unit.name)
        else:
            scope = ("union", None, _("全校"))
        rows.append(
            {
                "role": assignment.role,
                "label": assignment.get_role_display(),
                "scope_type": scope[0],
                "scope_id": scope[1],
                "scope_name": scope[2],
            }
        )
    if user.person_id:  # being linked to a person record makes one a member, scoped to oneself
        rows.insert(
            0,
            {
                "role": Role.MEMBER,
                "label": Role.MEMBER.label,
                "scope_type": "self",
                "scope_id": user.person_id,
                "scope_name": user.person.name,
            },
        )
    return rows


class MeApi(GenericAPIView):
    """The caller: account, own person record (ID number masked), roles with their scopes."""

    serializer_class = MeSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        person = None
        if user.person_id:
            from gonghui.people.models import Person

            person = Person.objects.select_related("sub_union").get(pk=user.person_id)
        data = {
            "username": user.username,
            "display_name": person.name if person else (user.get_full_name() or user.username),
            "person": person,
            "roles": _me_roles(user),
            "permissions": sorted(get_access(user).permissions),
        }
        return Response(MeSerializer(data).data)
