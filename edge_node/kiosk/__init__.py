"""The kiosk page for the screen beside the camera: live preview, result banner, online indicator."""
