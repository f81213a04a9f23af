"""Telephony adapters behind `voicebot.calls.Telephony`: simulated (demo, load), console (an analyst
plays the debtor), twilio (real calls). settings.yaml `voice.telephony` picks one."""
