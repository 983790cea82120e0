from tests import roles


def restore_roles():
    """Give the role groups their permissions, as the migrations do.

    A transactional test empties every table when it ends, and the groups,
    made by data migrations, do not come back; a test that needs the roles
    and may run after one puts them back first.
    """
    roles.restore()
