"""Django's own admin messages that the newsroom words in its own Chinese.

Not imported anywhere: it lists the msgids of Django (and its admin) that
locale/zh_Hans/LC_MESSAGES/django.po translates again, so that `make
messages` keeps them in our catalogue. Our catalogue wins over Django's
because LOCALE_PATHS is read before the apps' own locale folders. The
words: counts with measure words, 选择要修改的…, 按…, Chinese punctuation
with no stray spaces, one register (您), 工作台 for the start page.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_ADMIN_MESSAGES = [
    gettext_noop("Add %(name)s"),
    gettext_noop("Add %s"),
    gettext_noop("Change %s"),
    gettext_noop("View %s"),
    gettext_noop("Select %s to change"),
    gettext_noop("Select %s to view"),
    gettext_noop("Select %s"),
    gettext_noop("Add"),
    gettext_noop("Change"),
    gettext_noop("View"),
    gettext_noop(" By %(filter_title)s "),
    gettext_noop("Add another %(verbose_name)s"),
    gettext_noop("Remove"),
    gettext_noop("The {name} “{obj}” was added successfully."),
    gettext_noop("You may edit it again below."),
    gettext_noop("The {name} “{obj}” was added successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was changed successfully."),
    gettext_noop("The %(name)s “%(obj)s” was deleted successfully."),
    gettext_noop("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?"),
    ngettext_lazy("Please correct the error below.", "Please correct the errors below.", 1),
    gettext_noop("Save"),
    gettext_noop("Save and continue editing"),
    gettext_noop("Save and add another"),
    gettext_noop("Save as new"),
    gettext_noop("Save and view"),
    gettext_noop("Delete"),
    gettext_noop("Close"),
    gettext_noop("History"),
    gettext_noop("View on site"),
    gettext_noop("Home"),
    gettext_noop("View site"),
    gettext_noop("Change password"),
    gettext_noop("Log out"),
    gettext_noop("Filter"),
    gettext_noop("Show counts"),
    gettext_noop("Hide counts"),
    gettext_noop("Clear all filters"),
    gettext_noop("All"),
    gettext_noop("Any date"),
    gettext_noop("Past 7 days"),
    gettext_noop("No date"),
    gettext_noop("Has date"),
    gettext_noop("Not empty"),
    gettext_noop("All dates"),
    gettext_noop("Action:"),
    gettext_noop("Run the selected action"),
    ngettext_lazy("%(total_count)s selected", "All %(total_count)s selected", 1),
    gettext_noop("0 of %(cnt)s selected"),
    gettext_noop("Select all %(total_count)s %(module_name)s"),
    gettext_noop("Clear selection"),
    gettext_noop("Are you sure?"),
    gettext_noop("Yes, I’m sure"),
    gettext_noop("No, take me back"),
    gettext_noop(
        'Are you sure you want to delete the %(object_name)s "%(escaped_object)s"? All of the following related items will be deleted:'
    ),
    gettext_noop(
        "Deleting the %(object_name)s '%(escaped_object)s' would result in deleting related objects, but your account doesn't have permission to delete the following types of objects:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s '%(escaped_object)s' would require deleting the following protected related objects:"
    ),
    gettext_noop("Objects"),
    gettext_noop("Summary"),
    gettext_noop("Change history: %s"),
    gettext_noop("Date/time"),
    gettext_noop("User"),
    gettext_noop("Action"),
    gettext_noop(
        "This object doesn’t have a change history. It probably wasn’t added via this admin site."
    ),
    gettext_noop("You don’t have permission to view or edit anything."),
    gettext_noop("Currently:"),
    gettext_noop("Change:"),
    gettext_noop("Date:"),
    gettext_noop("Time:"),
    gettext_noop("Hold down “Control”, or “Command” on a Mac, to select more than one."),
    gettext_noop("Log in again"),
    gettext_noop("Thanks for spending some quality time with the web site today."),
    gettext_noop(
        "Please enter the correct %(username)s and password for a staff account. Note that both fields may be case-sensitive."
    ),
    gettext_noop("Password change"),
    gettext_noop("Your password was changed."),
    gettext_noop(
        "Please enter your old password, for security’s sake, and then enter your new password twice so we can verify you typed it in correctly."
    ),
    gettext_noop("Change my password"),
    gettext_noop("Skip to main content"),
    gettext_noop("Toggle navigation"),
    gettext_noop("Start typing to filter…"),
    gettext_noop("Filter navigation items"),
    gettext_noop("Sidebar"),
    gettext_noop("Breadcrumbs"),
    gettext_noop("Models in the %(name)s application"),
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop("Popup closing…"),
    gettext_noop("Add another %(model)s"),
    gettext_noop("Change selected %(model)s"),
    gettext_noop("View selected %(model)s"),
    gettext_noop("Delete selected %(model)s"),
    gettext_noop("Lookup"),
    gettext_noop("Remove from sorting"),
    gettext_noop("Sorting priority: %(priority_number)s"),
    gettext_noop("Toggle sorting"),
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("Successfully deleted %(count)d %(items)s."),
    gettext_noop(
        "Items must be selected in order to perform actions on them. No items have been changed."
    ),
    gettext_noop("No action selected."),
    ngettext_lazy(
        "%(count)s %(name)s was changed successfully.",
        "%(count)s %(name)s were changed successfully.",
        1,
    ),
    gettext_noop("No fields changed."),
    gettext_noop("Added."),
    gettext_noop("Changed {fields}."),
    gettext_noop("Changed {fields} for {name} “{object}”."),
    gettext_noop("Added {name} “{object}”."),
    gettext_noop("Deleted {name} “{object}”."),
    gettext_noop("and"),
    gettext_noop("This field is required."),
    gettext_noop("Error:"),
    # The label suffix of every form (体裁：), full-width.
    gettext_noop(":"),
]
