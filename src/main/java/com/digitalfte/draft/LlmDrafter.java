package com.digitalfte.draft;

import com.digitalfte.vault.TaskFile;
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
