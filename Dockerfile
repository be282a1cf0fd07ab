# The assistant as an image, installed as a package (tests/test_install.py checks such an install).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DANVAN_DB=/data/danvan.db
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY content ./content
COPY intents ./intents
# A plain install: the knowledge is installed with the package (bot/_content, bot/_intents).
RUN pip install --no-cache-dir . && mkdir -p /data
VOLUME ["/data"]
# TELEGRAM_BOT_TOKEN (and optionally TELEGRAM_API_BASE_URL, DANVAN_CONFIG) come from the environment.
CMD ["danvan", "run"]
