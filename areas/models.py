"""The ground every other app stands on: the city, its county-level units and zones, and the officials bound to them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from areas.localization import localized


class Area(models.Model):
    """An organisation unit the plan holds to account: the city, a county-level unit or a functional zone."""

    class Kind(models.TextChoices):
        CITY = "city", _("市")
        COUNTY = "county", _("县（市、区）")
        ZONE = "zone", _("功能区")

    code = models.CharField(
        _("代码"),
        max_length=12,
        unique=True,
        help_text=_("GB/T 2260 行政区划代码；功能区无官方代码，使用内部代码。"),
    )
    name = models.CharField(_("名称"), max_length=50)
    name_en = models.CharField(_("英文名称"), max_length=80)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("区域")
        verbose_name_plural = _("区域")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    # The units held to account below the city (考核单位): the counties and the three functional zones,
    # which Liaocheng assesses and ranks as it does a county (主城四区 = 东昌府区 and the three zones).
    ASSESSMENT_UNIT_KINDS = (Kind.COUNTY, Kind.ZONE)

    @property
    def is_city(self) -> bool:
        return self.kind == self.Kind.CITY

    @property
    def is_assessment_unit(self) -> bool:
        return self.kind in self.ASSESSMENT_UNIT_KINDS

    @property
    def localized_name(self) -> str:
        """``name_en`` when the page is in English, else ``name`` (areas/localization.py)."""
        return localized(self, "name")


class RankingGroup(models.Model):
    """A group of assessment units ranked among themselves, as Liaocheng publishes its rankings: 主城四区
    (东昌府区 and the three zones) and 七县市 (the seven other counties). Every unit is also ranked with all
    the others. Data the bureau keeps (admin), with history."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    name_en = models.CharField(_("英文名称"), max_length=80)
    members = models.ManyToManyField(Area, verbose_name=_("成员"), related_name="ranking_groups")
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("排名分组")
        verbose_name_plural = _("排名分组")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def localized_name(self) -> str:
        """``name_en`` when the page is in English, else ``name`` (areas/localization.py)."""
        return localized(self, "name")


class CountyOfficial(models.Model):
    """Binds a user to the one area whose completion forms they may see and submit.

    Bureau staff are users with ``is_staff``; they see every area and carry no binding.
    """

    user = models.OneToOneField(
        "auth.User", verbose_name=_("用户"), on_delete=models.CASCADE, related_name="county_official"
    )
    area = models.ForeignKey(Area, verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="officials")

    class Meta:
        verbose_name = _("县区填报人员")
        verbose_name_plural = _("县区填报人员")

    def __str__(self) -> str:
        return f"{self.user} ({self.area})"

    def clean(self) -> None:
        # One account, one reporter: a user bound to a department (measures.DepartmentOfficial) is not also
        # a county's official.
        if self.user_id and hasattr(self.user, "department_official"):
            raise ValidationError({"user": _("该账号已绑定部门：一个账号只代表一个填报单位。")})
