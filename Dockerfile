# The assistant as an image: installed the same way .ci/run installs it.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DANVAN_DB=/data/danvan.db
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY content ./content
COPY intents ./intents
RUN pip install --no-cache-dir -e . && mkdir -p /data
ENV DANVAN_CONTENT_DIR=/app/content DANVAN_INTENTS_DIR=/app/intents
VOLUME ["/data"]
# TELEGRAM_BOT_TOKEN (and optionally TELEGRAM_API_BASE_URL, DANVAN_CONFIG) come from the environment.
CMD ["danvan", "run"]
