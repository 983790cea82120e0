"""Accounts in the admin, with roles and permissions by their Chinese names.

Groups are named by their roles' English values (people/roles.py: the code
asks for Group "Editor"), and Django stores permission names in English
("Can add article") when it creates them. Neither is what the newsroom
reads: the account and group pages show each role and permission by its
name in the reader's language. Django's own rules for accounts stand
(only superusers see these pages: tests/admin/test_doors.py).
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.contrib.auth.models import Group, Permission, User
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .roles import Role

# Django's own permissions, as its catalogue words them in the newsroom's Chinese.
ACTIONS = {
    "add": _("Can add %(name)s"),
    "change": _("Can change %(name)s"),
    "delete": _("Can delete %(name)s"),
    "view": _("Can view %(name)s"),
}


def role_name(group):
    """A group by its role's name (编辑), or as named when it is no role."""
    return str(Role(group.name).label) if group.name in Role.values else group.name


def permission_name(permission):
    """稿件与版面 | 稿件 | 可添加稿件: the app, the model and the permission, by their names."""
    model = permission.content_type.model_class()
    if model is None:
        return str(permission)
    opts = model._meta
    action, _sep, model_name = permission.codename.partition("_")
    if action in ACTIONS and model_name == opts.model_name:
        name = ACTIONS[action] % {"name": opts.verbose_name}
    else:
        name = gettext(permission.name)
    app = model._meta.app_config.verbose_name
    return f"{capfirst(app)} | {capfirst(opts.verbose_name)} | {name}"


class PasswordChangeForm(AdminPasswordChangeForm):
    """Django's form, with the warning Django glues on in English put in the catalogue's words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if field := self.fields.get("usable_password"):
            field.help_text = format_html(
                '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}'
                "</li></ul>",
                SetUnusablePasswordMixin.usable_password_help_text,
                _("If disabled, the current password for this user will be lost."),
            )


class NamedChoices:
    """Groups and permissions offered by their names (the selects of both pages)."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.related_model is Group:
            field.label_from_instance = role_name
        elif field is not None and db_field.related_model is Permission:
            field.queryset = field.queryset.select_related("content_type")
            field.label_from_instance = permission_name
        return field


class RoleFilter(admin.SimpleListFilter):
    title = _("role")
    parameter_name = "groups__id__exact"

    def lookups(self, request, model_admin):
        return [(group.pk, role_name(group)) for group in Group.objects.order_by("name")]

    def queryset(self, request, queryset):
        return queryset.filter(groups__id=self.value()) if self.value() else queryset


class NewsroomUserAdmin(NamedChoices, UserAdmin):
    list_filter = ["is_staff", "is_superuser", "is_active", RoleFilter]
    change_password_form = PasswordChangeForm


class NewsroomGroupAdmin(NamedChoices, GroupAdmin):
    pass


# A group reads as its role wherever the admin names it (lists, titles, the
# delete page, the account's selects); its name stays the role's code.
# Django offers no hook for a model's name in every place the admin prints it;
# tests/test_django_patches.py holds the replaced method's source.
# mypy refuses assigning to a method; this one is replaced on purpose.
DJANGO_GROUP_STR = Group.__str__
Group.__str__ = role_name  # type: ignore[method-assign]


admin.site.unregister(User)
admin.site.unregister(Group)
admin.site.register(User, NewsroomUserAdmin)
admin.site.register(Group, NewsroomGroupAdmin)
