from django.apps import AppConfig

from rehab_clinic.accounts.navigation import register


class AccountsConfig(AppConfig):
    name = "rehab_clinic.accounts"
    label = "accounts"
    verbose_name = "Clinics and accounts"

    def ready(self) -> None:
        # local import: the receivers read our models, which load only once the registry is ready
        from rehab_clinic.accounts import signals  # noqa: F401  (connects login audit handlers)

        # local import: User is a model, which loads only once the app registry is ready
        from rehab_clinic.accounts.models import User

        register(
            role=User.Role.CLINIC_ADMIN, label="Clinic", url_name="accounts:admin_home", order=10
        )
        register(
            role=User.Role.CLINIC_ADMIN, label="Staff", url_name="accounts:staff_list", order=20
        )
        register(
            role=User.Role.CLINIC_ADMIN, label="Audit report", url_name="audit:report", order=90
        )
        # Sign-in security, sessions and password: the account menu (navigation.account_items).
