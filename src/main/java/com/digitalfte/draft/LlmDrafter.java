package com.digitalfte.draft;

import com.digitalfte.audit.JsonLines;
import com.digitalfte.odoo.Invoice;
import com.digitalfte.odoo.Rates;
import com.digitalfte.vault.TaskFile;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Optional;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Drafts with a chat model (any OpenAI-compatible server, through langchain4j). The prompt carries
 * the handbook, the message, and the owner's approved replies of the same kind as examples of the
 * style to match. The model is told to use only facts the message and the handbook give.
 */
public final class LlmDrafter implements Drafter {

    private static final Pattern SECTION_LINE = Pattern.compile("(?m)^## (Original|Draft|Result|Error)\\s*$");
    private static final int MAX_ORIGINAL = 12_000;

    private final ChatModel model;
    private final String name;
    private final Examples examples;

    public LlmDrafter(ChatModel model, String modelName, Examples examples) {
        this.model = model;
        this.name = "openai:" + modelName;
        this.examples = examples;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String draft(TaskFile task, Handbook handbook) {
        String reply = model.chat(messages(task, handbook)).aiMessage().text();
        if (reply == null || reply.isBlank()) {
            throw new IllegalStateException("the model returned an empty draft");
        }
        // the draft is the owner's to edit: plain text, and never a line that would read as a section of the task
        return SECTION_LINE.matcher(reply.strip()).replaceAll("**$1**");
    }

    /**
     * The model reads what the message asks to invoice, and only that: which of the owner's services
     * (by their names in the rates), how many, for whom. Prices come from the rates, never from the
     * model; what it does not know stays unknown. An answer that is not the JSON asked for fails the
     * try, as an empty draft does.
     */
    @Override
    public Invoice invoice(TaskFile task, Rates rates, LocalDate today) {
        Invoice fromWords = InvoiceGuess.from(task, rates, today);
        String answer = model.chat(invoiceMessages(task, rates)).aiMessage().text();
        JsonNode json = invoiceJson(answer);
        List<Invoice.Line> lines = new ArrayList<>();
        for (JsonNode l : json.path("lines")) {
            Optional<Rates.Rate> rate = rates.find(l.path("service").asText(null));
            BigDecimal quantity = l.path("quantity").isNumber() && l.path("quantity").decimalValue().signum() > 0
                    ? l.path("quantity").decimalValue() : null;
            String description = text(l.path("description")).orElse(rate.map(Rates.Rate::service).orElse(null));
            lines.add(rate.map(r -> InvoiceGuess.line(r, quantity)).map(line -> new Invoice.Line(description, line.quantity(), line.unitPrice(),
                    line.product(), line.taxes())).orElse(new Invoice.Line(description, quantity, null, null, List.of())));
        }
        return new Invoice(text(json.path("customer")).orElse(fromWords.customer()), fromWords.customerEmail(), fromWords.currency(),
                fromWords.invoiceDate(), fromWords.dueDate(), text(json.path("reference")).orElse(null),
                lines.isEmpty() ? fromWords.lines() : lines).under(task);
    }

    List<ChatMessage> invoiceMessages(TaskFile task, Rates rates) {
        StringBuilder services = new StringBuilder();
        for (Rates.Rate r : rates.all()) {
            services.append("- ").append(r.service()).append(r.unit() == null ? "" : " (per " + r.unit() + ")").append('\n');
        }
        String original = task.section(TaskFile.ORIGINAL).orElse("");
        if (original.length() > MAX_ORIGINAL) {
            original = original.substring(0, MAX_ORIGINAL);
        }
        return List.of(SystemMessage.from("""
                You read a customer's message for a small-business owner and say what it asks to be invoiced. Answer with one JSON
                object and nothing else: {"customer": "<the customer's name or company, or null>", "reference": "<their purchase order
                or reference, or null>", "lines": [{"service": "<one of the owner's services, exactly as listed, or null>",
                "description": "<a short line for the invoice>", "quantity": <a number, or null>}]}.
                Use only what the message says: never invent a quantity, a service or a name; null where the message does not say.
                Never write prices: the owner's rates price each service. The owner's services:
                """ + (services.length() == 0 ? "(none listed)\n" : services)),
                UserMessage.from("From: " + task.getOrEmpty("from") + "\nSubject: " + task.getOrEmpty("subject") + "\n\n" + original));
    }

    private static JsonNode invoiceJson(String answer) {
        String text = answer == null ? "" : answer;
        int start = text.indexOf('{');
        int end = text.lastIndexOf('}');
        try {
            if (start >= 0 && end > start) {
                JsonNode json = JsonLines.JSON.readTree(text.substring(start, end + 1));
                if (json.isObject()) {
                    return json;
                }
            }
        } catch (java.io.IOException notJson) {
            // said below
        }
        throw new IllegalStateException("the model's answer is not the invoice's JSON");
    }

    private static Optional<String> text(JsonNode node) {
        return node.isTextual() && !node.asText().isBlank() ? Optional.of(node.asText().strip()) : Optional.empty();
    }

    List<ChatMessage> messages(TaskFile task, Handbook handbook) {
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SystemMessage.from("""
                You draft replies for a small-business owner, who reads every draft, may edit it, and sends it only if they approve.
                Write the reply as plain text, ready to send: no subject line, no Markdown headings, no placeholders in brackets.
                Use only facts given in the message and in the owner's handbook below. Never invent prices, dates, availability,
                commitments or other facts: where the reply needs something you were not given, say in the reply that the owner
                will confirm it. Follow the handbook's rules and tone; when approved replies are shown, match their style.

                The owner's handbook:
                ---
                """ + handbook.text() + "\n---"));
        for (Examples.Example e : examples.forTask(task)) {
            messages.add(UserMessage.from("From: " + e.from() + "\nSubject: " + e.subject() + "\n\n" + e.original()));
            messages.add(dev.langchain4j.data.message.AiMessage.from(e.reply()));
        }
        String original = task.section(TaskFile.ORIGINAL).orElse("");
        if (original.length() > MAX_ORIGINAL) {
            original = original.substring(0, MAX_ORIGINAL) + "\n[... the rest of the message is cut ...]";
        }
        com.digitalfte.channel.PostLengths.max(task.type()).ifPresent(max -> messages.add(SystemMessage.from(
                "This is a " + task.type().replace('_', ' ') + ": write it as one post of at most " + max + " characters"
                        + (task.type().startsWith("x_") ? " as X counts them (a link counts 23, an emoji 2)" : "")
                        + ", with no greeting line and no signature.")));
        messages.add(UserMessage.from("From: " + task.getOrEmpty("from") + "\nSubject: " + task.getOrEmpty("subject") + "\n\n" + original));
        return messages;
    }
}
