"""Re-encrypts every encrypted value with the newest key in FIELD_ENCRYPTION_KEYS.

Rotation: put the new key first in FIELD_ENCRYPTION_KEYS (keep the old ones after it), deploy, run
this command, then remove the old keys.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from lfpse.encryption import EncryptedJSONField, reencrypt

BATCH = 500


def encrypted_columns():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedJSONField):
                yield model, field


class Command(BaseCommand):
    help = "Re-encrypt all encrypted free text with the newest FIELD_ENCRYPTION_KEYS key."

    def handle(self, *args, **options):
        total = 0
        for model, field in encrypted_columns():
            quote = connection.ops.quote_name
            table, column = quote(model._meta.db_table), quote(field.column)
            pk = quote(model._meta.pk.column)
            # Names come from the models; values are bound parameters.
            select = f"SELECT {pk}, {column} FROM {table} WHERE {pk} > %s ORDER BY {pk}"  # noqa: S608
            update = f"UPDATE {table} SET {column} = %s WHERE {pk} = %s"  # noqa: S608
            last, count = 0, 0
            while True:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(f"{select} LIMIT {BATCH}", [last])
                    rows = cursor.fetchall()
                    for row_pk, token in rows:
                        if token is not None:
                            cursor.execute(update, [reencrypt(token), row_pk])
                            count += 1
                if len(rows) < BATCH:
                    break
                last = rows[-1][0]
            total += count
            self.stdout.write(f"{model._meta.label}.{field.name}: {count} values re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"Done: {total} values now use the newest key."))
