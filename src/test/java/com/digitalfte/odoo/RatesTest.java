package com.digitalfte.odoo;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Accounting/Rates.md as owners write it: read by its header, whatever the table's dress. */
class RatesTest {

    @Test
    void theStockRatesGiveServicesUnitsPricesCurrencyAndTerms() throws Exception {
        Rates rates = Rates.parse(Files.readString(Path.of("vault/Accounting/Rates.md")));
        assertThat(rates.all()).extracting(Rates.Rate::service).containsExactly("Consulting", "Project setup");
        assertThat(rates.find("consulting  ")).get().satisfies(r -> {
            assertThat(r.unit()).isEqualTo("hour");
            assertThat(r.price()).isEqualByComparingTo("100");
        });
        assertThat(rates.currency()).contains("USD");
        assertThat(rates.paymentDays()).contains(30);
        assertThat(rates.problems()).isEmpty();
    }

    @Test
    void aTableWithoutOuterPipesBoldCellsSymbolsAndGroupedThousandsIsRead() {
        Rates rates = Rates.parse("""
                Some notes first. | not a table

                **Item** | Per | **Price (EUR)** | VAT | Code
                :--- | --- | ---: | --- | ---
                **Design** | day | 1,200.50 | Tax 15% | DSGN
                Hosting | month | €49 | |
                Audit | fixed | 1.500,00 € | |
                Training | session | ask me |  |
                """);
        assertThat(rates.all()).extracting(Rates.Rate::service).containsExactly("Design", "Hosting", "Audit");
        assertThat(rates.find("DESIGN")).get().satisfies(r -> {
            assertThat(r.price()).isEqualByComparingTo("1200.50");
            assertThat(r.currency()).isEqualTo("EUR");
            assertThat(r.tax()).isEqualTo("Tax 15%");
            assertThat(r.product()).isEqualTo("DSGN");
        });
        assertThat(rates.find("Audit").get().price()).isEqualByComparingTo("1500");
        assertThat(rates.currency()).contains("EUR");
        assertThat(rates.problems()).singleElement().asString().contains("Training", "ask me");
    }

    @Test
    void aNoteWithoutATableOfRatesHasNone() {
        Rates rates = Rates.parse("# Rates\n\n| Name | Phone |\n|---|---|\n| Kim | 123 |\n");
        assertThat(rates.all()).isEmpty();
        assertThat(rates.currency()).isEmpty();
    }

    @Test
    void amountsAsPeopleWriteThem() {
        assertThat(Amounts.parse("1,200")).contains(new BigDecimal("1200"));
        assertThat(Amounts.parse("1 200,5")).contains(new BigDecimal("1200.5"));
        assertThat(Amounts.parse("**99.90 USD**")).contains(new BigDecimal("99.90"));
        assertThat(Amounts.parse("12,5")).contains(new BigDecimal("12.5"));
        assertThat(Amounts.parse("1.000.000")).contains(new BigDecimal("1000000"));
        assertThat(Amounts.parse("ask")).isEmpty();
        assertThat(Amounts.parse("1 or 2")).isEmpty();
        assertThat(Amounts.money(new BigDecimal("1200"))).isEqualTo("1,200.00");
    }
}
