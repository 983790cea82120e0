"""The newsroom's admin: each concern registers its own pages; importing them registers all.

articles.copy.admin     articles (bylines, photos, revisions, the workflow
                        panel), sections and tags, and what copy adds to the
                        pages of people and photos (their extensions)
articles.desk.admin     the desk queue, 选题 and 派稿, the transition log,
                        each person's notifications
articles.editions.admin editions, pages, the planner, the page import
articles.site.admin     the site settings printed in the public footer
"""

from articles.copy import admin as copy_admin  # noqa: F401 (registers the admin pages)
from articles.desk import admin as desk_admin  # noqa: F401
from articles.editions import admin as editions_admin  # noqa: F401
from articles.site import admin as site_admin  # noqa: F401
