from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"

    def ready(self) -> None:
        from patients.timeline import (
            register_dashboard_panel,
            register_episode_panel,
            register_portal_panel,
            register_timeline,
        )
        from programs import document_panels, panels
        from rehab_clinic.accounts.navigation import register

        register_timeline(panels.program_timeline)
        document_panels.register()
        register_dashboard_panel("programs/_attention_panel.html", panels.attention_panel, 20)
        register_episode_panel("programs/_episode_panel.html", panels.episode_panel, 30)
        register_portal_panel("programs/_portal_today_panel.html", panels.portal_today_panel, 10)
        register(role="patient", label="Today", url_name="programs:portal_today", order=20)
        register(role="patient", label="My program", url_name="programs:portal_program", order=22)
        register(
            role="patient", label="My progress", url_name="programs:portal_adherence", order=24
        )
        register(role="therapist", label="Templates", url_name="programs:templates", order=40)
        register(
            role="clinic_admin", label="Program templates", url_name="programs:templates", order=40
        )

        from programs.rtr_urls import register_hooks

        register_hooks()
