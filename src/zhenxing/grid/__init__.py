"""Grid management (网格化管理): grids inside villages, their workers and households, the
government-purchased services (政府向村(居)购买服务) that pay for them, the assessment that
drives the money, and the grid worker's phone pages that work without signal."""
