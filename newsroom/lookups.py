"""`__in` lookups on integer columns that drop numbers no row can hold.

Django answers `pk=99999999999999999999` with "nothing" (it knows the
column's range), but `pk__in=[99999999999999999999]` reaches the database
driver, and SQLite's raises OverflowError: a 500 for any form or filter that
looks up several ids a client typed (a multiple choice field, the admin's
"selected" lists). A number beyond the column's range matches no row, so it
is dropped before the query is built. Registered for every integer field and
every foreign key when the newsroom app is ready.
"""

from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In


class _OutOfRangeDropped:
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            field = self.lhs.output_field
            if field.is_relation:
                field = field.target_field
            try:
                low, high = connection.ops.integer_field_range(field.get_internal_type())
            except KeyError:  # a key that is not an integer
                low = high = None
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


class IntegerIn(_OutOfRangeDropped, In):
    pass


class RelatedIntegerIn(_OutOfRangeDropped, RelatedIn):
    pass


def register():
    IntegerField.register_lookup(IntegerIn)
    ForeignObject.register_lookup(RelatedIntegerIn)
